import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AtlasEntityDef, AtlasTypesDef } from '../../lib/atlas/model.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelsDir } from '../../local/atlas-emulator/modelLoader.js';
import { TypeRegistry } from '../../local/atlas-emulator/typeRegistry.js';
import { BRIDGE_TYPEDEFS_FILE, bridgeTypedefs, json, startTestAtlas, type TestAtlas } from './helpers.js';

let atlas: TestAtlas;

beforeAll(async () => {
  atlas = await startTestAtlas();
});

afterAll(async () => {
  await atlas.close();
});

type ErrorBody = { errorCode: string; errorMessage: string };

const optional = (name: string, typeName = 'string') => ({ name, typeName, isOptional: true, cardinality: 'SINGLE' as const });

/** A fresh entity type per test, so that tests do not depend on each other. */
async function createEntityType(name: string, extra: Partial<AtlasEntityDef> = {}): Promise<AtlasEntityDef> {
  const def: AtlasEntityDef = { name, superTypes: ['DataSet'], attributeDefs: [optional('color')], ...extra };
  const response = await atlas.http.post('/v2/types/typedefs', { entityDefs: [def] });
  expect(response.status).toBe(200);
  return def;
}

async function putEntityDef(def: AtlasEntityDef) {
  const response = await atlas.http.put('/v2/types/typedefs', { entityDefs: [def] });
  return { status: response.status, body: json(response) };
}

describe('shipped models', () => {
  it('serves kafka_topic with the attributes added by the shipped patches', async () => {
    const response = await atlas.http.get('/v2/types/entitydef/name/kafka_topic');
    const names = json<AtlasEntityDef>(response).attributeDefs?.map((attr) => attr.name);

    expect(response.status).toBe(200);
    expect(names).toEqual(expect.arrayContaining(['topic', 'uri', 'partitionCount']));
  });

  it('applies a patch id once, as AtlasPatchRegistry.isApplicable: kafka_topic gets no replicationFactor', async () => {
    // 018-kafka_topic_add_rf_attribute reuses TYPEDEF_PATCH_1000_018_001, registered by 018-fs_path_add_supertypes.
    const kafkaTopic = json<AtlasEntityDef>(await atlas.http.get('/v2/types/entitydef/name/kafka_topic'));
    expect(kafkaTopic.attributeDefs?.map((attr) => attr.name)).not.toContain('replicationFactor');
    const fsPath = json<AtlasEntityDef>(await atlas.http.get('/v2/types/entitydef/name/fs_path'));
    expect(fsPath.superTypes).toContain('Path');
  });

  it('leaves the id of a failed patch (unknown type) free for a later patch, and ignores a reused one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    try {
      mkdirSync(join(dir, '0000-Area0', 'patches'), { recursive: true });
      writeFileSync(join(dir, '0000-Area0', '0010-model.json'), JSON.stringify({
        entityDefs: ['thing', 'other'].map((name) => ({ name, superTypes: [], typeVersion: '1.0', attributeDefs: [] })),
      }));
      const addAttribute = (id: string, typeName: string, name: string) => ({
        id, action: 'ADD_ATTRIBUTE', typeName, applyToVersion: '1.0', updateToVersion: '1.1', attributeDefs: [optional(name)],
      });
      writeFileSync(join(dir, '0000-Area0', 'patches', '001.json'), JSON.stringify({ patches: [addAttribute('P1', 'absent_type', 'x')] }));
      writeFileSync(join(dir, '0000-Area0', 'patches', '002.json'), JSON.stringify({ patches: [addAttribute('P1', 'thing', 'first')] }));
      writeFileSync(join(dir, '0000-Area0', 'patches', '003.json'), JSON.stringify({ patches: [addAttribute('P1', 'other', 'second')] }));
      const registry = new TypeRegistry();
      loadModelsDir(registry, dir);
      const attributes = (name: string) => ((registry.get(name) as { attributeDefs?: { name: string }[] }).attributeDefs ?? []).map((a) => a.name);
      expect(attributes('thing')).toEqual(['first']);
      expect(attributes('other')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads flink_application_processes from entityDefs as an empty entity type', async () => {
    const response = await atlas.http.get('/v2/types/typedef/name/flink_application_processes');

    expect(json(response)).toMatchObject({ category: 'ENTITY', name: 'flink_application_processes', attributeDefs: [], superTypes: [] });
  });

  it('gives Process its inputs and outputs through the base relationships', async () => {
    const response = await atlas.http.get('/v2/types/entitydef/name/Process');
    const relationshipAttributes = json<{ relationshipAttributeDefs: { name: string; relationshipTypeName: string }[] }>(response)
      .relationshipAttributeDefs;

    expect(relationshipAttributes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'inputs', relationshipTypeName: 'dataset_process_inputs' }),
        expect.objectContaining({ name: 'outputs', relationshipTypeName: 'process_dataset_outputs' }),
      ]),
    );
  });

  it('answers an unknown type name with 404 ATLAS-404-00-001', async () => {
    const response = await atlas.http.get('/v2/types/typedef/name/no_such_type');

    expect(response.status).toBe(404);
    expect(json(response)).toEqual({ errorCode: 'ATLAS-404-00-001', errorMessage: 'Given typename no_such_type was invalid' });
  });

  it('answers /entitydef/name/ for a non-entity type with 404 ATLAS-404-00-001', async () => {
    const response = await atlas.http.get('/v2/types/entitydef/name/dataset_process_inputs');

    expect(response.status).toBe(404);
  });

  it('returns all six lists and filters by type and name', async () => {
    const response = await atlas.http.get('/v2/types/typedefs?type=entity&name=hive_table');
    const body = json<Required<AtlasTypesDef>>(response);

    expect(Object.keys(body).sort()).toEqual(
      ['businessMetadataDefs', 'classificationDefs', 'entityDefs', 'enumDefs', 'relationshipDefs', 'structDefs'].sort(),
    );
    expect(body.entityDefs.map((def) => def.name)).toEqual(['hive_table']);
    expect(body.relationshipDefs).toEqual([]);
  });
});

describe('POST /v2/types/typedefs', () => {
  it('registers the bridge typedefs beside the shipped models and fills the server fields', async () => {
    const response = await atlas.http.post('/v2/types/typedefs', bridgeTypedefs());
    const body = json<Required<AtlasTypesDef>>(response);

    expect(response.status).toBe(200);
    expect(body.entityDefs.map((def) => def.name).sort()).toEqual([
      'flink_catalog', 'flink_column', 'flink_database', 'flink_dataset', 'flink_job', 'flink_job_run', 'flink_table', 'flink_view_query',
    ]);
    expect(body.relationshipDefs.map((def) => def.name)).toEqual([
      'flink_job_runs', 'flink_catalog_databases', 'flink_database_tables', 'flink_table_columns', 'flink_table_view_query',
      'flink_table_physical_datasets',
    ]);
    expect(body.structDefs.map((def) => def.name)).toEqual(['flink_operator', 'flink_operator_edge', 'flink_dataset_field']);
    expect(body.entityDefs[0]).toMatchObject({ guid: expect.any(String), createTime: expect.any(Number), version: 1 });
  });

  it('rejects a request containing an existing type with 409 ATLAS-409-00-001 and creates nothing', async () => {
    const response = await atlas.http.post('/v2/types/typedefs', {
      entityDefs: [{ name: 'brand_new_type', superTypes: ['DataSet'], attributeDefs: [] }, { name: 'kafka_topic', superTypes: ['DataSet'] }],
    });
    const lookup = await atlas.http.get('/v2/types/typedef/name/brand_new_type');

    expect(response.status).toBe(409);
    expect(json<ErrorBody>(response)).toEqual({ errorCode: 'ATLAS-409-00-001', errorMessage: 'Given type kafka_topic already exists' });
    expect(lookup.status).toBe(404);
  });

  it('rejects an attribute of an unknown type with 400 ATLAS-400-00-029', async () => {
    const response = await atlas.http.post('/v2/types/typedefs', {
      entityDefs: [{ name: 'typo_type', superTypes: ['DataSet'], attributeDefs: [optional('things', 'array<no_such_struct>')] }],
    });

    expect(response.status).toBe(400);
    expect(json<ErrorBody>(response)).toEqual({ errorCode: 'ATLAS-400-00-029', errorMessage: 'Given typename no_such_struct was invalid' });
  });

  it('rejects an unknown supertype with 400 ATLAS-400-00-029', async () => {
    const response = await atlas.http.post('/v2/types/typedefs', { entityDefs: [{ name: 'orphan_type', superTypes: ['NoSuchBase'] }] });

    expect(response.status).toBe(400);
    expect(json<ErrorBody>(response).errorMessage).toBe('Given typename NoSuchBase was invalid');
  });

  it('rejects a relationship end of an unknown type with 400 ATLAS-400-00-029', async () => {
    const response = await atlas.http.post('/v2/types/typedefs', {
      relationshipDefs: [
        {
          name: 'dangling_relationship',
          relationshipCategory: 'ASSOCIATION',
          endDef1: { type: 'kafka_topic', name: 'partner', cardinality: 'SINGLE' },
          endDef2: { type: 'no_such_entity', name: 'topic', cardinality: 'SINGLE' },
        },
      ],
    });

    expect(response.status).toBe(400);
    expect(json<ErrorBody>(response).errorCode).toBe('ATLAS-400-00-029');
  });

  it('accepts defs that refer to each other within the same request', async () => {
    const response = await atlas.http.post('/v2/types/typedefs', {
      enumDefs: [{ name: 'sample_color', elementDefs: [{ value: 'RED' }, { value: 'BLUE' }] }],
      structDefs: [{ name: 'sample_struct', attributeDefs: [optional('color', 'sample_color')] }],
      entityDefs: [
        { name: 'sample_base', superTypes: ['DataSet'], attributeDefs: [optional('detail', 'sample_struct')] },
        { name: 'sample_child', superTypes: ['sample_base'], attributeDefs: [optional('sibling', 'sample_base')] },
      ],
    });

    expect(response.status).toBe(200);
  });
});

describe('PUT /v2/types/typedefs', () => {
  it('accepts an added optional attribute and a new description, and bumps the version', async () => {
    const def = await createEntityType('put_ok_type');

    const result = await putEntityDef({ ...def, description: 'now described', attributeDefs: [...(def.attributeDefs ?? []), optional('size', 'long')] });
    const stored = json<AtlasEntityDef>(await atlas.http.get('/v2/types/entitydef/name/put_ok_type'));

    expect(result.status).toBe(200);
    expect(stored.description).toBe('now described');
    expect(stored.attributeDefs?.map((attr) => attr.name)).toEqual(['color', 'size']);
    expect(stored['version']).toBe(2);
  });

  it('rejects an unknown type name with 400 ATLAS-400-00-029', async () => {
    const result = await putEntityDef({ name: 'never_created_type', superTypes: ['DataSet'] });

    expect(result.status).toBe(400);
    expect(result.body).toEqual({ errorCode: 'ATLAS-400-00-029', errorMessage: 'Given typename never_created_type was invalid' });
  });

  it('rejects an added mandatory attribute with 400 ATLAS-400-00-00C', async () => {
    const def = await createEntityType('put_mandatory_type');

    const result = await putEntityDef({ ...def, attributeDefs: [...(def.attributeDefs ?? []), { name: 'must', typeName: 'string', isOptional: false }] });

    expect(result.status).toBe(400);
    expect(result.body).toEqual({ errorCode: 'ATLAS-400-00-00C', errorMessage: 'put_mandatory_type.must : can not add mandatory attribute' });
  });

  it('rejects a left-out attribute with 400 ATLAS-400-00-00D', async () => {
    const def = await createEntityType('put_delete_type');

    const result = await putEntityDef({ ...def, attributeDefs: [] });

    expect(result.status).toBe(400);
    expect(result.body).toEqual({ errorCode: 'ATLAS-400-00-00D', errorMessage: 'put_delete_type.color : attribute delete not supported' });
  });

  it("rejects a change of an attribute's typeName with 400 ATLAS-400-00-029", async () => {
    const def = await createEntityType('put_retype_type');

    const result = await putEntityDef({ ...def, attributeDefs: [optional('color', 'int')] });

    expect(result.status).toBe(400);
    expect(result.body).toEqual({ errorCode: 'ATLAS-400-00-029', errorMessage: 'Data type update for attribute is not supported' });
  });

  it('rejects a removed supertype with 400 ATLAS-400-00-00E', async () => {
    const def = await createEntityType('put_supertype_type');

    const result = await putEntityDef({ ...def, superTypes: [] });

    expect(result.status).toBe(400);
    expect(result.body).toEqual({ errorCode: 'ATLAS-400-00-00E', errorMessage: 'superType remove not supported' });
  });
});

describe('extraTypedefFiles', () => {
  it('does not preload the bridge typedefs by default', async () => {
    const fresh = await startTestAtlas();
    try {
      expect((await fresh.http.get('/v2/types/typedef/name/flink_job')).status).toBe(404);
    } finally {
      await fresh.close();
    }
  });

  it('preloads the given typedef files, so that registering them again answers 409', async () => {
    const preloaded = await startTestAtlas({ extraTypedefFiles: [fileURLToPath(BRIDGE_TYPEDEFS_FILE)] });
    try {
      const lookup = await preloaded.http.get('/v2/types/typedef/name/flink_job_runs');
      const again = await preloaded.http.post('/v2/types/typedefs', bridgeTypedefs());

      expect(json(lookup)).toMatchObject({ category: 'RELATIONSHIP', relationshipCategory: 'COMPOSITION' });
      expect(again.status).toBe(409);
    } finally {
      await preloaded.close();
    }
  });
});
