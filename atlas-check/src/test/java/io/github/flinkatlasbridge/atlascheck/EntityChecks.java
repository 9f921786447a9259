package io.github.flinkatlasbridge.atlascheck;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.apache.atlas.model.TypeCategory;
import org.apache.atlas.model.instance.AtlasEntity;
import org.apache.atlas.model.typedef.AtlasStructDef.AtlasAttributeDef;
import org.apache.atlas.type.AtlasEntityType;
import org.apache.atlas.type.AtlasStructType.AtlasAttribute;
import org.apache.atlas.type.AtlasType;
import org.apache.atlas.type.AtlasTypeRegistry;
import org.apache.atlas.type.AtlasTypeUtil;

/** What Atlas 2.4.0 does with one entity of a bulk write, reproduced with its own type classes. */
final class EntityChecks {
  private EntityChecks() {}

  /**
   * AtlasEntityGraphDiscoveryV2.validateAndNormalize, run on every entity of POST /v2/entity/bulk: the messages
   * Atlas would answer 400/404 with, empty when it takes the entity. (Custom attributes and labels, checked there
   * too, are not sent by the bridge; graph-level checks, guid resolution and uniqueness, are the emulator's.)
   */
  static List<String> rejections(AtlasTypeRegistry registry, AtlasEntity entity) {
    List<String> messages = new ArrayList<>();
    if (!AtlasTypeUtil.isValidGuid(entity.getGuid())) {
      messages.add("invalid guid " + entity.getGuid());
      return messages;
    }
    AtlasEntityType type = registry.getEntityTypeByName(entity.getTypeName());
    if (type == null) {
      messages.add("unknown entity type " + entity.getTypeName());
      return messages;
    }
    type.validateValue(entity, entity.getTypeName(), messages);
    if (messages.isEmpty()) type.getNormalizedValue(entity);
    return messages;
  }

  /** One attribute whose stored value the write implies, and what the emulator stored. */
  static final class Implied {
    final String attribute;
    final Object expected;
    final JsonNode stored;

    Implied(String attribute, Object expected, JsonNode stored) {
      this.attribute = attribute;
      this.expected = expected;
      this.stored = stored;
    }

    boolean agrees() {
      Object storedValue = plain(stored);
      Object expectedValue = expected instanceof Date ? (Object) ((Date) expected).getTime() : expected;
      if (expectedValue instanceof Number && storedValue instanceof Number) {
        return new BigDecimal(expectedValue.toString()).compareTo(new BigDecimal(storedValue.toString())) == 0;
      }
      return Objects.equals(expectedValue, storedValue);
    }

    @Override
    public String toString() {
      Object expectedValue = expected instanceof Date ? (Object) ((Date) expected).getTime() : expected;
      return attribute + ": Atlas stores " + (expectedValue == null ? "nothing" : expectedValue) + ", the emulator stored "
          + (stored == null || stored.isMissingNode() ? "nothing" : stored.toString());
    }
  }

  /**
   * The values Atlas stores for attributes the write did not give a value (EntityGraphMapper.mapAttributes and
   * mapAttribute): on create, every attribute of the type and its supertypes not sent, or sent as null; on update,
   * only those sent as null. A primitive gets its attribute's defaultValue, else
   * {@code createOptionalDefaultValue()} when optional (0, false, Date(0); null only for strings), else
   * {@code createDefaultValue()}; an enum stays unset. Struct, array, map and reference attributes are left to
   * the graph layer and not compared.
   */
  static List<Implied> impliedValues(AtlasEntityType type, JsonNode sentAttributes, boolean create, JsonNode storedAttributes) {
    List<Implied> implied = new ArrayList<>();
    for (AtlasAttribute attribute : type.getAllAttributes().values()) {
      String name = attribute.getName();
      JsonNode sent = sentAttributes.get(name);
      boolean unset = create ? (sent == null || sent.isNull()) : (sent != null && sent.isNull());
      if (!unset) continue;
      AtlasType attributeType = attribute.getAttributeType();
      TypeCategory category = attributeType.getTypeCategory();
      if (category == TypeCategory.PRIMITIVE) {
        implied.add(new Implied(name, storedDefault(attribute), storedAttributes.get(name)));
      } else if (category == TypeCategory.ENUM) {
        implied.add(new Implied(name, null, storedAttributes.get(name)));
      }
    }
    return implied;
  }

  /**
   * The values Atlas stores for the primitive and enum attributes the write did send: the attribute type's
   * getNormalizedValue (AtlasEntityGraphDiscoveryV2.validateAndNormalize), e.g. a date sent as text stored as
   * epoch milliseconds, an enum value in the case its def spells it.
   */
  static List<Implied> sentValues(AtlasEntityType type, AtlasEntity entity, JsonNode sentAttributes, JsonNode storedAttributes) {
    List<Implied> sent = new ArrayList<>();
    for (AtlasAttribute attribute : type.getAllAttributes().values()) {
      String name = attribute.getName();
      JsonNode value = sentAttributes.get(name);
      TypeCategory category = attribute.getAttributeType().getTypeCategory();
      if (value == null || value.isNull() || (category != TypeCategory.PRIMITIVE && category != TypeCategory.ENUM)) continue;
      Object normalized = attribute.getAttributeType().getNormalizedValue(entity.getAttribute(name));
      boolean asIs = normalized == null || normalized instanceof Date || normalized instanceof Number || normalized instanceof Boolean;
      sent.add(new Implied(name, asIs ? normalized : normalized.toString(), storedAttributes.get(name)));
    }
    return sent;
  }

  /**
   * Values the emulator stored for attributes Atlas's type does not have (Atlas ignores an unknown attribute and
   * stores nothing): a type in the emulator that differs from Atlas's. Relationship attributes are the graph's.
   */
  static List<Implied> unknownToAtlas(AtlasEntityType type, JsonNode storedAttributes) {
    List<Implied> unknown = new ArrayList<>();
    storedAttributes.fields().forEachRemaining(field -> {
      String name = field.getKey();
      boolean known = type.getAllAttributes().containsKey(name) || type.getRelationshipAttributes().containsKey(name);
      if (!known && !field.getValue().isNull()) unknown.add(new Implied(name, null, field.getValue()));
    });
    return unknown;
  }

  private static Object storedDefault(AtlasAttribute attribute) {
    AtlasAttributeDef def = attribute.getAttributeDef();
    AtlasType type = attribute.getAttributeType();
    if (def.getDefaultValue() != null) return type.createDefaultValue(def.getDefaultValue());
    return def.getIsOptional() ? type.createOptionalDefaultValue() : type.createDefaultValue();
  }

  private static Object plain(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) return null;
    if (node.isNumber()) return node.decimalValue();
    if (node.isBoolean()) return node.booleanValue();
    if (node.isTextual()) return node.textValue();
    return node.toString();
  }
}
