package io.github.flinkatlasbridge.atlascheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.atlas.exception.AtlasBaseException;
import org.apache.atlas.model.typedef.AtlasBaseTypeDef;
import org.apache.atlas.model.typedef.AtlasClassificationDef;
import org.apache.atlas.model.typedef.AtlasEntityDef;
import org.apache.atlas.model.typedef.AtlasRelationshipDef;
import org.apache.atlas.model.typedef.AtlasStructDef;
import org.apache.atlas.model.typedef.AtlasStructDef.AtlasAttributeDef;
import org.apache.atlas.model.typedef.AtlasTypesDef;
import org.apache.atlas.type.AtlasType;
import org.apache.atlas.type.AtlasTypeRegistry;

/**
 * Atlas's shipped models and patches loaded into an {@link AtlasTypeRegistry} in the order
 * AtlasTypeDefStoreInitializer.loadBootstrapTypeDefs uses (Atlas 2.4.0): each sub-folder of the models directory
 * in name order except {@code patches}, its files in name order, then its own {@code patches/} folder in name
 * order; then the top folder the same way. As there, a file or patch that fails is recorded and skipped.
 * The initializer itself lives in atlas-repository (graph store and all); only its type-registry steps are
 * reproduced here.
 */
final class AtlasModels {
  static final String PATCHES = "patches";

  /** What a load did, for the report: a model file or patch that Atlas would log as failed is in failures. */
  static final class LoadReport {
    final List<String> files = new ArrayList<>();
    final List<String> patchesApplied = new ArrayList<>();
    final List<String> patchesSkipped = new ArrayList<>();
    /**
     * Patches for a type no model here defines (the committed models are a subset of Atlas's): Atlas fails them
     * with ATLAS-400-00-017 (PATCH_FOR_UNKNOWN_TYPE), logs it and goes on, as here.
     */
    final List<String> patchesForAbsentTypes = new ArrayList<>();
    /**
     * Patches ignored because an earlier patch had the same id (AtlasPatchRegistry.isApplicable: an id already
     * APPLIED or SKIPPED is not applied again). Atlas 2.4.0 ships two patches with id TYPEDEF_PATCH_1000_018_001
     * (fs_path's supertypes, kafka_topic's replicationFactor): the second is never applied.
     */
    final List<String> patchesIgnoredById = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private AtlasModels() {}

  static LoadReport load(AtlasTypeRegistry registry, File modelsDir) {
    LoadReport report = new LoadReport();
    Map<String, Boolean> patchIdFailed = new HashMap<>();
    File[] contents = modelsDir.listFiles();
    if (contents == null) throw new IllegalArgumentException("no models directory at " + modelsDir);
    Arrays.sort(contents);
    for (File folder : contents) {
      if (folder.isDirectory() && !folder.getName().equals(PATCHES)) loadFolder(registry, folder, report, patchIdFailed);
    }
    loadFolder(registry, modelsDir, report, patchIdFailed);
    return report;
  }

  private static void loadFolder(AtlasTypeRegistry registry, File folder, LoadReport report, Map<String, Boolean> patchIdFailed) {
    File[] files = folder.listFiles(File::isFile);
    if (files == null || files.length == 0) return;
    Arrays.sort(files);
    for (File file : files) {
      String name = folder.getName() + "/" + file.getName();
      try {
        AtlasTypesDef typesDef = AtlasType.fromJson(read(file), AtlasTypesDef.class);
        if (typesDef == null || typesDef.isEmpty()) continue;
        TypeUpdates.createNew(registry, typesDef);
        report.files.add(name);
      } catch (Exception | LinkageError e) {
        report.failures.add(name + ": " + e);
      }
    }
    applyPatches(registry, new File(folder, PATCHES), report, patchIdFailed);
  }

  /** AtlasTypeDefStoreInitializer.applyTypePatches for the actions the shipped patches use. */
  private static void applyPatches(AtlasTypeRegistry registry, File patchesDir, LoadReport report, Map<String, Boolean> patchIdFailed) {
    File[] files = patchesDir.listFiles(File::isFile);
    if (files == null) return;
    Arrays.sort(files);
    for (File file : files) {
      String fileName = patchesDir.getParentFile().getName() + "/" + PATCHES + "/" + file.getName();
      JsonNode patches;
      try {
        patches = JSON.readTree(read(file)).path("patches");
      } catch (IOException e) {
        report.failures.add(fileName + ": " + e);
        continue;
      }
      int index = 0;
      for (JsonNode patch : patches) {
        // An id-less patch is registered as file_index, as AtlasPatchRegistry.getId does.
        String id = patch.path("id").asText(file.getAbsolutePath() + "_" + index++);
        String label = fileName + " " + id + " " + patch.path("action").asText() + " " + patch.path("typeName").asText();
        if (patchIdFailed.containsKey(id) && !patchIdFailed.get(id)) {
          report.patchesIgnoredById.add(label);
          continue;
        }
        if (registry.getTypeDefByName(patch.path("typeName").asText()) == null) {
          report.patchesForAbsentTypes.add(label);
          patchIdFailed.put(id, true);
          continue;
        }
        try {
          if (applyPatch(registry, patch)) report.patchesApplied.add(label);
          else report.patchesSkipped.add(label);
          patchIdFailed.put(id, false);
        } catch (AtlasBaseException | RuntimeException e) {
          report.failures.add(label + ": " + e.getMessage());
          patchIdFailed.put(id, true);
        }
      }
    }
  }

  /** One patch; false when the type has already reached its updateToVersion (Atlas: SKIPPED). */
  private static boolean applyPatch(AtlasTypeRegistry registry, JsonNode patch) throws AtlasBaseException {
    String action = patch.path("action").asText();
    String typeName = patch.path("typeName").asText();
    AtlasBaseTypeDef current = registry.getTypeDefByName(typeName);
    if (!isApplicable(current.getTypeVersion(), patch.path("updateToVersion").asText())) return false;
    AtlasStructDef updated;
    switch (action) {
      case "ADD_ATTRIBUTE":
        updated = copy(current);
        for (JsonNode attribute : patch.path("attributeDefs")) updated.addAttribute(attributeDef(attribute));
        break;
      case "UPDATE_ATTRIBUTE":
        updated = copy(current);
        for (JsonNode attribute : patch.path("attributeDefs")) {
          AtlasAttributeDef def = attributeDef(attribute);
          if (updated.hasAttribute(def.getName())) updated.removeAttribute(def.getName());
          updated.addAttribute(def);
        }
        break;
      case "ADD_SUPER_TYPES":
        if (!(current instanceof AtlasEntityDef) || patch.path("superTypes").isEmpty()) return false;
        AtlasEntityDef entityDef = new AtlasEntityDef((AtlasEntityDef) current);
        for (JsonNode superType : patch.path("superTypes")) entityDef.addSuperType(superType.asText());
        updated = entityDef;
        break;
      default:
        // The shipped models use only the three actions above; another one must be added here, not ignored.
        throw new IllegalStateException("patch action " + action + " is not reproduced by atlas-check");
    }
    updated.setTypeVersion(patch.path("updateToVersion").asText());
    TypeUpdates.update(registry, updated);
    return true;
  }

  /**
   * PatchHandler.isPatchApplicable takes a patch only at the type's exact version (or a sub-version of it): Atlas
   * ships every patch of a chain (kafka_topic 1.0 → 1.1 → … → 1.8). The models committed here carry only the
   * patches that matter to the bridge, so a chain has gaps (006 takes kafka_topic to 1.1; the next one here applies
   * to 1.7), and some model files already contain a patch's change. So, as the emulator does (typeRegistry.ts,
   * isPatchNeeded), a patch is taken while the type has not reached its updateToVersion: the types a real Atlas
   * 2.4.0 ends with. The report lists what was applied and what skipped.
   */
  static boolean isApplicable(String currentVersion, String updateToVersion) {
    return currentVersion == null || updateToVersion.isEmpty() || compareVersions(currentVersion, updateToVersion) < 0;
  }

  /** Dotted versions compared part by part as numbers: 1.10 is after 1.9. */
  static int compareVersions(String a, String b) {
    String[] left = a.split("\\.");
    String[] right = b.split("\\.");
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      int l = i < left.length ? Integer.parseInt(left[i]) : 0;
      int r = i < right.length ? Integer.parseInt(right[i]) : 0;
      if (l != r) return Integer.compare(l, r);
    }
    return 0;
  }

  /** As the patch handlers: by exact class, since entity, classification and relationship defs are all struct defs. */
  private static AtlasStructDef copy(AtlasBaseTypeDef def) {
    if (def.getClass() == AtlasEntityDef.class) return new AtlasEntityDef((AtlasEntityDef) def);
    if (def.getClass() == AtlasClassificationDef.class) return new AtlasClassificationDef((AtlasClassificationDef) def);
    if (def.getClass() == AtlasRelationshipDef.class) return new AtlasRelationshipDef((AtlasRelationshipDef) def);
    if (def.getClass() == AtlasStructDef.class) return new AtlasStructDef((AtlasStructDef) def);
    throw new IllegalStateException("attribute patch for " + def.getCategory() + " type " + def.getName());
  }

  private static AtlasAttributeDef attributeDef(JsonNode json) {
    return AtlasType.fromJson(json.toString(), AtlasAttributeDef.class);
  }

  static String read(File file) throws IOException {
    return new String(Files.readAllBytes(file.toPath()), StandardCharsets.UTF_8);
  }
}
