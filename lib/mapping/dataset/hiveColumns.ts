// A dataset's schema (the OpenLineage schema facet) as hive_column entities, for the Hive tables the bridge itself
// created (marked by BRIDGE_OWNER_PARAMETER, naming.ts). A table the Hive hook or HiveMetaStoreBridge registered is left
// alone: the hook owns its columns, and the job keeps the schema it saw on the Flink side (flink_job.datasetFields).
//
// hive_table is Atlas's type, so the bridge cannot add a time attribute to it: the schema's event time and a digest
// of its fields go into the table's `parameters` (map<string,string>), and make the columns a last-writer-wins
// register like the job's: a late event with an older schema never puts back a column a newer one dropped. Pure.
import { createHash } from 'node:crypto';
import type { AtlasEntity } from '../../atlas/model.js';
import { BRIDGE_OWNER, BRIDGE_OWNER_PARAMETER, bridgeTableParameters, type DatasetSchema } from './naming.js';
import type { DesiredEntity, EntityRef } from '../shared/entityRef.js';
import { canonicalJson, compareRegisters, type Register } from '../shared/registers.js';

const HIVE_COLUMN_TYPE = 'hive_column';
/** hive_table.parameters keys the bridge writes on the tables it owns. */
export const SCHEMA_TIME_PARAMETER = 'flink.schema.eventTime';
export const SCHEMA_DIGEST_PARAMETER = 'flink.schema.digest';
/** hive_column.type is mandatory; a schema field may come without a type. */
const UNKNOWN_TYPE = 'unknown';

/**
 * A table someone else registered (the Hive hook, HiveMetaStoreBridge, a user): it lacks the bridge's mark. Tables an
 * earlier bridge version created carry its schema parameters instead, which only the bridge writes.
 */
export const isHiveHookTable = (table: AtlasEntity): boolean => {
  const parameters = table.attributes.parameters;
  if (typeof parameters !== 'object' || parameters === null) return true;
  const held = parameters as Record<string, unknown>;
  return held[BRIDGE_OWNER_PARAMETER] !== BRIDGE_OWNER && typeof held[SCHEMA_TIME_PARAMETER] !== 'string';
};

const digestOf = (schema: DatasetSchema): string =>
  createHash('sha256').update(canonicalJson(schema.fields)).digest('hex').slice(0, 32);

const schemaRegister = (schema: DatasetSchema): Register => ({ at: schema.at, rank: 0, order: 0, value: { digest: digestOf(schema) } });

/** The schema register a bridge-owned table holds, from its parameters; undefined when it holds none. */
const storedSchemaRegister = (table: AtlasEntity): Register | undefined => {
  const parameters = table.attributes.parameters;
  if (typeof parameters !== 'object' || parameters === null) return undefined;
  const { [SCHEMA_TIME_PARAMETER]: time, [SCHEMA_DIGEST_PARAMETER]: digest } = parameters as Record<string, unknown>;
  const at = Number(time);
  if (typeof time !== 'string' || !Number.isFinite(at) || typeof digest !== 'string') return undefined;
  return { at, rank: 0, order: 0, value: { digest } };
};

/** Of two schemas reported for one table, the one that wins: the later event; equal times, the greater digest. */
export const laterSchema = (a: DatasetSchema, b: DatasetSchema): DatasetSchema =>
  compareRegisters(schemaRegister(a), schemaRegister(b)) >= 0 ? a : b;

/** HiveMetaStoreBridge.getColumnQualifiedName: `db.table.column@ns`, lower-cased. */
export const hiveColumnQualifiedName = (tableQualifiedName: string, column: string): string => {
  const at = tableQualifiedName.lastIndexOf('@');
  return `${tableQualifiedName.slice(0, at)}.${column.toLowerCase()}${tableQualifiedName.slice(at)}`;
};

/**
 * The entities that write `schema` as the table's columns: the table (its identity attributes, the schema's time
 * and digest in `parameters`, and `columns` replaced, so a field the schema no longer has leaves the table, which
 * deletes it: hive_table_columns is a COMPOSITION), then one hive_column per top-level field, as the Hive hook
 * builds them. Undefined when the table keeps what it has: the Hive hook owns it, or it holds this schema or a later one.
 */
export const hiveColumnsWrite = (
  table: DesiredEntity,
  schema: DatasetSchema,
  stored: AtlasEntity | undefined,
): DesiredEntity[] | undefined => {
  const incoming = schemaRegister(schema);
  if (stored !== undefined) {
    if (isHiveHookTable(stored)) return undefined;
    const held = storedSchemaRegister(stored);
    if (held !== undefined && compareRegisters(held, incoming) >= 0) return undefined;
  }
  const tableRef: EntityRef = { typeName: table.typeName, qualifiedName: table.qualifiedName };
  const columns = new Map<string, DesiredEntity>();
  schema.fields.forEach((field, position) => {
    const qualifiedName = hiveColumnQualifiedName(table.qualifiedName, field.name);
    // Hive column names are case-insensitive: a second field of the same name would be the same entity.
    if (columns.has(qualifiedName)) return;
    columns.set(qualifiedName, {
      typeName: HIVE_COLUMN_TYPE,
      qualifiedName,
      attributes: {
        qualifiedName,
        name: field.name.toLowerCase(),
        type: field.type ?? UNKNOWN_TYPE,
        position,
        ...(field.description === undefined ? {} : { comment: field.description }),
      },
      references: { table: tableRef },
    });
  });
  return [
    {
      ...table,
      attributes: {
        ...table.attributes,
        parameters: {
          ...bridgeTableParameters(),
          [SCHEMA_TIME_PARAMETER]: String(schema.at),
          [SCHEMA_DIGEST_PARAMETER]: String(incoming.value.digest),
        },
      },
      references: {
        ...table.references,
        columns: [...columns.values()].map((c) => ({ typeName: c.typeName, qualifiedName: c.qualifiedName })),
      },
    },
    ...columns.values(),
  ];
};
