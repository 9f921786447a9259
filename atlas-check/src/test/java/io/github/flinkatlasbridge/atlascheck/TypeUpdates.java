package io.github.flinkatlasbridge.atlascheck;

import java.util.ArrayList;
import java.util.List;
import org.apache.atlas.exception.AtlasBaseException;
import org.apache.atlas.model.typedef.AtlasBaseTypeDef;
import org.apache.atlas.model.typedef.AtlasTypeDefHeader;
import org.apache.atlas.model.typedef.AtlasTypesDef;
import org.apache.atlas.type.AtlasTypeRegistry;
import org.apache.atlas.type.AtlasTypeRegistry.AtlasTransientTypeRegistry;
import org.apache.atlas.type.AtlasTypeUtil;

/** Type changes the way Atlas's typedef store makes them: in a transient registry, committed only if it resolves. */
final class TypeUpdates {
  private TypeUpdates() {}

  interface Change {
    void apply(AtlasTransientTypeRegistry transientRegistry) throws AtlasBaseException;
  }

  static void inTransaction(AtlasTypeRegistry registry, Change change) throws AtlasBaseException {
    AtlasTransientTypeRegistry transientRegistry = registry.lockTypeRegistryForUpdate();
    boolean commit = false;
    try {
      change.apply(transientRegistry);
      commit = true;
    } finally {
      registry.releaseTypeRegistryForUpdate(transientRegistry, commit);
    }
  }

  /** POST /v2/types/typedefs: every type must be new (an existing one is 409 ATLAS-409-00-001 in Atlas). */
  static void add(AtlasTypeRegistry registry, AtlasTypesDef typesDef) throws AtlasBaseException {
    inTransaction(registry, tx -> tx.addTypes(typesDef));
  }

  /** PUT /v2/types/typedefs. */
  static void update(AtlasTypeRegistry registry, AtlasTypesDef typesDef) throws AtlasBaseException {
    inTransaction(registry, tx -> tx.updateTypes(typesDef));
  }

  static void update(AtlasTypeRegistry registry, AtlasBaseTypeDef typeDef) throws AtlasBaseException {
    inTransaction(registry, tx -> tx.updateType(typeDef));
  }

  /**
   * A model file at bootstrap (AtlasTypeDefStoreInitializer.getTypesToCreate): the types not yet registered are
   * created. Atlas would also update a registered type from a file holding a newer version of it; no shipped
   * model redefines a type, so that is refused here rather than reproduced.
   */
  static void createNew(AtlasTypeRegistry registry, AtlasTypesDef typesDef) throws AtlasBaseException {
    List<String> registered = new ArrayList<>();
    for (AtlasTypeDefHeader def : AtlasTypeUtil.toTypeDefHeader(typesDef)) {
      if (registry.isRegisteredType(def.getName())) registered.add(def.getName());
    }
    if (!registered.isEmpty()) throw new IllegalStateException("the file redefines registered types " + registered);
    add(registry, typesDef);
  }
}
