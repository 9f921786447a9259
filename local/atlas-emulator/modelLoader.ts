// Boot-time typedef loading, after AtlasTypeDefStoreInitializer.loadBootstrapTypeDefs: each model folder in name
// order, its files in name order, then the folder's patches/ in name order.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AtlasTypesDef } from '../../lib/atlas/model.js';
import type { TypeDefPatch, TypeRegistry } from './typeRegistry.js';

export const SHIPPED_MODELS_DIR = fileURLToPath(new URL('./models', import.meta.url));

const PATCHES_FOLDER = 'patches';
/** Patch actions that change what the emulator validates; the others only touch metadata it does not use. */
const APPLIED_PATCH_ACTIONS = new Set(['ADD_ATTRIBUTE', 'UPDATE_ATTRIBUTE', 'ADD_SUPER_TYPES']);

export function loadModelsDir(registry: TypeRegistry, modelsDir: string = SHIPPED_MODELS_DIR): void {
  const folders = sortedEntries(modelsDir).filter((name) => name !== PATCHES_FOLDER && isDirectory(join(modelsDir, name)));
  const takenPatchIds = new Set<string>();
  for (const folder of folders) {
    loadModelsInFolder(registry, join(modelsDir, folder), takenPatchIds);
  }
  // Files directly in the models folder (and its patches) come last, as in Atlas.
  loadModelsInFolder(registry, modelsDir, takenPatchIds);
}

export function loadTypedefFile(registry: TypeRegistry, file: string): void {
  const typesDef = JSON.parse(readFileSync(file, 'utf8')) as AtlasTypesDef;
  try {
    registry.bootstrap(typesDef);
  } catch (error) {
    throw new Error(`cannot load typedef file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function loadModelsInFolder(registry: TypeRegistry, folder: string, takenPatchIds: Set<string>): void {
  for (const name of sortedEntries(folder)) {
    const file = join(folder, name);
    if (name.endsWith('.json') && !isDirectory(file)) loadTypedefFile(registry, file);
  }
  const patchesDir = join(folder, PATCHES_FOLDER);
  if (!isDirectory(patchesDir)) return;
  for (const name of sortedEntries(patchesDir)) {
    if (name.endsWith('.json')) applyPatchFile(registry, join(patchesDir, name), takenPatchIds);
  }
}

/**
 * AtlasPatchRegistry.isApplicable: a patch id already APPLIED or SKIPPED is not applied again, even when another
 * patch carries it. Atlas 2.4.0 ships two patches with id TYPEDEF_PATCH_1000_018_001, fs_path's supertypes and
 * kafka_topic's replicationFactor: the first one registers the id, so kafka_topic never gets replicationFactor.
 * A patch that FAILED (unknown type) leaves its id free.
 */
function applyPatchFile(registry: TypeRegistry, file: string, takenPatchIds: Set<string>): void {
  const content = JSON.parse(readFileSync(file, 'utf8')) as { patches?: TypeDefPatch[] };
  (content.patches ?? []).forEach((patch, index) => {
    const id = patch.id ?? `${file}_${index}`;
    // Unknown types (e.g. adls_gen2_directory, whose model is not shipped here) fail, as Atlas logs and moves on.
    if (takenPatchIds.has(id) || !registry.get(patch.typeName)) return;
    takenPatchIds.add(id);
    if (APPLIED_PATCH_ACTIONS.has(patch.action)) registry.applyPatch(patch);
  });
}

function sortedEntries(dir: string): string[] {
  return readdirSync(dir).sort();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
