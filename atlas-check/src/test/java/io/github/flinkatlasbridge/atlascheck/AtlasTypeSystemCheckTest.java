package io.github.flinkatlasbridge.atlascheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.atlas.model.instance.AtlasEntity;
import org.apache.atlas.model.typedef.AtlasTypeDefHeader;
import org.apache.atlas.model.typedef.AtlasTypesDef;
import org.apache.atlas.type.AtlasEntityType;
import org.apache.atlas.type.AtlasType;
import org.apache.atlas.type.AtlasTypeRegistry;
import org.apache.atlas.type.AtlasTypeUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bridge's typedefs and every entity write it produced (flink-atlas atlas-requests) checked by Apache Atlas
 * 2.4.0's own type system: the shipped models and patches, then the bridge's model, in an AtlasTypeRegistry.
 */
@TestMethodOrder(OrderAnnotation.class)
class AtlasTypeSystemCheckTest {
  private static final File MODELS = new File(System.getProperty("atlas.models.dir", "../local/atlas-emulator/models"));
  private static final File BRIDGE_TYPEDEFS = new File(System.getProperty("bridge.typedefs", "../lib/atlas/typedefs/flink-bridge-model.json"));
  private static final File REQUESTS = new File(System.getProperty("atlas.requests.dir", "target/atlas-requests"));

  private static AtlasTypeRegistry registry;
  private static AtlasModels.LoadReport shipped;
  private static ProducedWrites produced;

  @BeforeAll
  static void load() throws Exception {
    long started = System.nanoTime();
    registry = new AtlasTypeRegistry();
    shipped = AtlasModels.load(registry, MODELS);
    AtlasTypesDef bridgeTypes = typesDef(AtlasModels.read(BRIDGE_TYPEDEFS));
    TypeUpdates.add(registry, bridgeTypes);
    produced = ProducedWrites.read(REQUESTS);
    System.out.printf("atlas-check: %d model files, %d patches applied (%d skipped, %d for types not in these models: %s), the bridge's %d types, %d types in all, loaded in %d ms%n",
        shipped.files.size(), shipped.patchesApplied.size(), shipped.patchesSkipped.size(), shipped.patchesForAbsentTypes.size(), shipped.patchesForAbsentTypes, names(bridgeTypes).size(),
        registry.getAllTypeNames().size(), (System.nanoTime() - started) / 1_000_000);
  }

  @Test
  @Order(1)
  void shippedModelsAndPatchesLoadWithoutFailure() throws Exception {
    assertEquals(List.of(), shipped.failures, "model files or patches Atlas would log as failed");
    assertEquals(modelFiles(MODELS, false), shipped.files.size(), "every model file loads: " + shipped.files);
    assertEquals(modelFiles(MODELS, true), shipped.patchesApplied.size() + shipped.patchesSkipped.size() + shipped.patchesForAbsentTypes.size() + shipped.patchesIgnoredById.size(), "every patch is accounted for");
    // The patches changed the types (001, 006 and 017 add these attributes; Path is in aws_s3_v2_directory's model already).
    assertTrue(registry.getEntityTypeByName("Referenceable").getAllAttributes().containsKey("replicatedFrom"));
    assertTrue(registry.getEntityTypeByName("hive_db").getAllAttributes().containsKey("managedLocation"));
    assertTrue(registry.getEntityTypeByName("kafka_topic").getAllAttributes().containsKey("partitionCount"));
    // ... but not 018-kafka_topic_add_rf_attribute: its id was taken by 018-fs_path_add_supertypes.
    assertTrue(!registry.getEntityTypeByName("kafka_topic").getAllAttributes().containsKey("replicationFactor"), "kafka_topic.replicationFactor");
    assertTrue(registry.getEntityTypeByName("aws_s3_v2_directory").getAllSuperTypes().contains("Path"));
    System.out.println("atlas-check: patches applied " + shipped.patchesApplied + "; skipped (already in the model) " + shipped.patchesSkipped
        + "; ignored (id already used) " + shipped.patchesIgnoredById);
  }

  @Test
  @Order(2)
  void registerTypesCreateAndItsGetThenPutUpgradeAreAccepted() throws Exception {
    AtlasTypesDef create = typesDef(produced.typedefs.path("create").toString());
    AtlasTypesDef update = typesDef(produced.typedefs.path("update").toString());
    assertEquals(names(typesDef(AtlasModels.read(BRIDGE_TYPEDEFS))), names(create), "registerTypes on an empty Atlas sends the whole typedef file");
    AtlasTypeRegistry fresh = new AtlasTypeRegistry();
    assertEquals(List.of(), AtlasModels.load(fresh, MODELS).failures);
    TypeUpdates.add(fresh, create);
    TypeUpdates.update(fresh, update);
    String[] upgraded = produced.typedefs.path("upgradeAttribute").asText().split("\\.");
    assertTrue(fresh.getEntityTypeByName(upgraded[0]).getAllAttributes().containsKey(upgraded[1]), "the PUT added " + upgraded[1]);
    System.out.printf("atlas-check: registerTypes' POST of %d types and its GET-then-PUT of %s (adding %s) accepted by addTypes/updateTypes%n",
        names(create).size(), names(update), upgraded[1]);
  }

  @Test
  @Order(3)
  void everyEntityTheBridgeWritesIsAcceptedAndStoredAsAtlasStoresIt() {
    int bulkWrites = 0;
    int deletes = 0;
    int entities = 0;
    int creates = 0;
    int updates = 0;
    int compared = 0;
    int sentCompared = 0;
    List<String> rejections = new ArrayList<>();
    List<String> disagreements = new ArrayList<>();
    Map<String, Integer> disagreementsByAttribute = new TreeMap<>();
    Map<String, Integer> byType = new TreeMap<>();
    Map<String, Integer> writesBySource = new TreeMap<>();
    for (ProducedWrites.Write write : produced.writes) {
      writesBySource.merge(write.source, 1, Integer::sum);
      if (!write.isBulkWrite()) {
        deletes += write.method.equals("DELETE") ? 1 : 0;
        continue;
      }
      bulkWrites += 1;
      assertEquals(200, write.status, write.where() + ": the emulator refused a write");
      Set<String> created = headerGuids(write.response.path("mutatedEntities").path("CREATE"));
      Set<String> updated = headerGuids(write.response.path("mutatedEntities").path("UPDATE"));
      for (JsonNode json : entitiesOf(write.request)) {
        entities += 1;
        AtlasEntity entity = AtlasType.fromJson(json.toString(), AtlasEntity.class);
        byType.merge(entity.getTypeName(), 1, Integer::sum);
        String label = write.where() + ": " + entity.getTypeName() + " " + json.path("attributes").path("qualifiedName").asText();
        List<String> messages = EntityChecks.rejections(registry, entity);
        if (!messages.isEmpty()) {
          rejections.add(label + ": " + messages);
          continue;
        }
        String guid = write.response.path("guidAssignments").path(entity.getGuid()).asText(entity.getGuid());
        boolean isCreate = created.contains(guid);
        if (!isCreate && !updated.contains(guid)) continue;
        if (isCreate) creates += 1;
        else updates += 1;
        AtlasEntityType type = registry.getEntityTypeByName(entity.getTypeName());
        JsonNode stored = write.stored.path(guid).path("attributes");
        for (EntityChecks.Implied implied : EntityChecks.impliedValues(type, json.path("attributes"), isCreate, stored)) {
          compared += 1;
          if (!implied.agrees()) {
            disagreements.add(label + (isCreate ? " (create) " : " (update) ") + implied);
            disagreementsByAttribute.merge(entity.getTypeName() + "." + implied.attribute + (isCreate ? "" : " (update)"), 1, Integer::sum);
          }
        }
        for (EntityChecks.Implied sent : EntityChecks.sentValues(type, entity, json.path("attributes"), stored)) {
          sentCompared += 1;
          if (!sent.agrees()) {
            disagreements.add(label + " (sent) " + sent);
            disagreementsByAttribute.merge(entity.getTypeName() + "." + sent.attribute + " (sent)", 1, Integer::sum);
          }
        }
        for (EntityChecks.Implied unknown : EntityChecks.unknownToAtlas(type, stored)) {
          disagreements.add(label + " (no such attribute in Atlas's " + entity.getTypeName() + ") " + unknown);
          disagreementsByAttribute.merge(entity.getTypeName() + "." + unknown.attribute + " (not in Atlas's type)", 1, Integer::sum);
        }
      }
    }
    System.out.printf("atlas-check: %d entity writes (%d bulk, %d deletes) from %s%n", produced.writes.size(), bulkWrites, deletes, writesBySource);
    System.out.printf("atlas-check: %d entities validated by type %s; %d rejections%n", entities, byType, rejections.size());
    System.out.printf("atlas-check: %d creates and %d updates: %d implied and %d sent attribute values compared with the emulator's; %d disagreements%n",
        creates, updates, compared, sentCompared, disagreements.size());
    if (!disagreements.isEmpty()) System.out.println("atlas-check: disagreements by attribute " + disagreementsByAttribute);
    rejections.stream().limit(50).forEach(r -> System.out.println("  REJECTED " + r));
    disagreements.stream().limit(50).forEach(d -> System.out.println("  DISAGREES " + d));
    if (disagreements.size() > 50) System.out.println("  ... and " + (disagreements.size() - 50) + " more disagreements");

    // An empty or partial production must not pass as "nothing rejected".
    Iterator<String> sources = produced.summary.path("sources").fieldNames();
    while (sources.hasNext()) {
      String source = sources.next();
      assertEquals(produced.summary.path("sources").path(source).path("writes").asInt(), writesBySource.getOrDefault(source, 0), source + ": writes recorded");
    }
    assertTrue(entities > 0 && creates > 0 && compared > 0, "nothing was checked");
    // The samples delivered again on a store holding them: with Atlas's stored defaults read back, nothing to write.
    assertEquals(writesBySource.get("samples"), writesBySource.get("samples-redelivered"), "writes for samples delivered twice vs once (a write loop)");
    assertTrue(rejections.isEmpty(), () -> rejections.size() + " entities Atlas 2.4.0's type system rejects (listed above), e.g. " + rejections.get(0));
    assertTrue(disagreements.isEmpty(), () -> disagreements.size() + " values Atlas 2.4.0 stores that the emulator stored otherwise (listed above)");
  }

  /** Model files (patches false) or patches (true) in the models directory. */
  private static int modelFiles(File modelsDir, boolean patches) throws Exception {
    int count = 0;
    for (File folder : folders(modelsDir)) {
      File dir = patches ? new File(folder, AtlasModels.PATCHES) : folder;
      File[] files = dir.listFiles(File::isFile);
      if (files == null) continue;
      for (File file : files) {
        count += patches ? new ObjectMapper().readTree(file).path("patches").size() : 1;
      }
    }
    return count;
  }

  private static List<File> folders(File modelsDir) {
    List<File> folders = new ArrayList<>(List.of(modelsDir));
    File[] subfolders = modelsDir.listFiles(f -> f.isDirectory() && !f.getName().equals(AtlasModels.PATCHES));
    if (subfolders != null) folders.addAll(List.of(subfolders));
    return folders;
  }

  private static Set<String> headerGuids(JsonNode headers) {
    Set<String> guids = new HashSet<>();
    for (JsonNode header : headers) guids.add(header.path("guid").asText());
    return guids;
  }

  private static List<JsonNode> entitiesOf(JsonNode request) {
    List<JsonNode> all = new ArrayList<>();
    request.path("entities").forEach(all::add);
    request.path("referredEntities").forEach(all::add);
    return all;
  }

  private static AtlasTypesDef typesDef(String json) {
    return AtlasType.fromJson(json, AtlasTypesDef.class);
  }

  private static List<String> names(AtlasTypesDef typesDef) {
    List<String> names = new ArrayList<>();
    for (AtlasTypeDefHeader header : AtlasTypeUtil.toTypeDefHeader(typesDef)) names.add(header.getName());
    names.sort(null);
    return names;
  }
}
