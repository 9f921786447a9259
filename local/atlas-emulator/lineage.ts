// GET /v2/lineage: EntityLineageService.getLineageInfoV2 (the default, non-Gremlin traversal).
// Process→dataset edges are the relationships dataset_process_inputs and process_dataset_outputs. Like Atlas,
// the traversal does not look at edge status, so soft-deleted edges still show up.

import type { AtlasEntityHeader, AtlasLineageInfo, AtlasLineageRelation } from '../../lib/atlas/model.js';
import { AtlasError } from './errors.js';
import type { EntityView, StoredEntity, StoredRelationship } from './entityStore.js';

export type LineageDirection = 'INPUT' | 'OUTPUT' | 'BOTH';

const INPUTS_RELATIONSHIP = 'dataset_process_inputs';
const OUTPUTS_RELATIONSHIP = 'process_dataset_outputs';

class LineageCollector {
  readonly guidEntityMap: Record<string, AtlasEntityHeader> = {};
  readonly relations: AtlasLineageRelation[] = [];
  private readonly seenRelationships = new Set<string>();

  constructor(private readonly view: EntityView) {}

  /** Input edges read dataset → process, output edges process → dataset. */
  add(relationship: StoredRelationship): void {
    if (this.seenRelationships.has(relationship.guid)) return;
    this.seenRelationships.add(relationship.guid);
    const processGuid = relationship.end1Guid;
    const datasetGuid = relationship.end2Guid;
    for (const guid of [datasetGuid, processGuid]) {
      const entity = this.view.findByGuid(guid);
      if (entity && !this.guidEntityMap[guid]) this.guidEntityMap[guid] = this.view.header(entity);
    }
    const isInput = relationship.typeName === INPUTS_RELATIONSHIP;
    this.relations.push({
      fromEntityId: isInput ? datasetGuid : processGuid,
      toEntityId: isInput ? processGuid : datasetGuid,
      relationshipId: relationship.guid,
    });
  }
}

export function lineage(view: EntityView, guid: string, direction: LineageDirection, depth: number): AtlasLineageInfo {
  const base = view.findByGuid(guid);
  if (!base) throw new AtlasError('ATLAS-404-00-005', guid);
  const isDataSet = view.registry.isTypeOrSubType(base.typeName, 'DataSet');
  if (!isDataSet && !view.registry.isTypeOrSubType(base.typeName, 'Process')) {
    throw new AtlasError('ATLAS-404-00-011', guid, base.typeName);
  }
  const collector = new LineageCollector(view);
  const remaining = depth === 0 ? -1 : depth;
  for (const isInput of directionFlags(direction)) {
    if (isDataSet) {
      traverseFromDataset(view, base, isInput, remaining, new Set(), collector);
    } else {
      // One hop from the process to its datasets, then on with one level less.
      for (const edge of processEdges(view, base, isInput)) {
        collector.add(edge);
        const dataset = view.findByGuid(edge.end2Guid);
        if (dataset) traverseFromDataset(view, dataset, isInput, remaining - 1, new Set(), collector);
      }
    }
  }
  return {
    baseEntityGuid: guid,
    lineageDirection: direction,
    lineageDepth: depth,
    guidEntityMap: collector.guidEntityMap,
    relations: collector.relations,
    relationsOnDemand: {},
  };
}

function directionFlags(direction: LineageDirection): boolean[] {
  if (direction === 'INPUT') return [true];
  if (direction === 'OUTPUT') return [false];
  return [true, false];
}

/**
 * INPUT: processes that output this dataset, then those processes' inputs; OUTPUT the other way round.
 * `depth` counts process hops; -1 is unlimited.
 */
function traverseFromDataset(
  view: EntityView,
  dataset: StoredEntity,
  isInput: boolean,
  depth: number,
  visited: Set<string>,
  collector: LineageCollector,
): void {
  if (depth === 0) return;
  visited.add(dataset.guid);
  const towardsProcess = isInput ? OUTPUTS_RELATIONSHIP : INPUTS_RELATIONSHIP;
  for (const incoming of datasetEdges(view, dataset, towardsProcess)) {
    const process = view.findByGuid(incoming.end1Guid);
    if (!process) continue;
    for (const outgoing of processEdges(view, process, isInput)) {
      const next = view.findByGuid(outgoing.end2Guid);
      if (!next) continue;
      collector.add(incoming);
      collector.add(outgoing);
      if (!visited.has(next.guid)) traverseFromDataset(view, next, isInput, depth - 1, visited, collector);
    }
  }
}

function processEdges(view: EntityView, process: StoredEntity, isInput: boolean): StoredRelationship[] {
  const typeName = isInput ? INPUTS_RELATIONSHIP : OUTPUTS_RELATIONSHIP;
  return view.graph.relationshipsOf(process.guid).filter((r) => r.typeName === typeName && r.end1Guid === process.guid);
}

function datasetEdges(view: EntityView, dataset: StoredEntity, typeName: string): StoredRelationship[] {
  return view.graph.relationshipsOf(dataset.guid).filter((r) => r.typeName === typeName && r.end2Guid === dataset.guid);
}
