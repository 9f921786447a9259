// The native catalog events: what a Flink CatalogModificationListener (org.apache.flink.table.catalog.listener,
// Flink 1.18+, `table.catalog-modification.listeners`) sees, as JSON. Field names are those of Flink's getters
// (Jackson's bean names: isTemporary() → temporary): ObjectIdentifier, CatalogContext, CatalogBaseTable,
// ResolvedSchema (Column, UniqueConstraint, WatermarkSpec), CatalogView and CatalogDatabase.
import { redactOptions } from './secrets.js';
import * as z from 'zod/mini';
import { described } from '../zod.js';

const Identifier = z.string().check(z.minLength(1), z.maxLength(256));
const Text = (max: number) => z.string().check(z.maxLength(max));
const TextMin1 = (max: number) => z.string().check(z.maxLength(max), z.minLength(1));

/** Connector options or database properties; secrets are replaced by `******` as soon as the event is read. */
const OptionsSchema = described(
  z.pipe(z.record(z.string().check(z.minLength(1), z.maxLength(1000)), Text(100_000)), z.transform(redactOptions)),
  'String options; values of secret keys (password, *secret*, *token*, sasl.jaas.config, ...) are redacted on arrival',
);

/** CatalogContext: which kind of catalog fired the event (the name travels in the identifier). */
const CatalogContextSchema = described(
  z.object({
    factoryIdentifier: described(z.optional(Text(200)), "CatalogContext.getFactoryIdentifier(), e.g. 'hive', 'jdbc', 'generic_in_memory'"),
    className: described(z.optional(Text(1000)), 'CatalogContext.getClazz().getName(), e.g. org.apache.flink.table.catalog.hive.HiveCatalog'),
  }),
  'CatalogContext of the catalog that fired the event',
);

export const ObjectIdentifierSchema = described(
  z.object({ catalogName: Identifier, databaseName: Identifier, objectName: Identifier }),
  'ObjectIdentifier of the table or view',
);
export type ObjectIdentifier = z.infer<typeof ObjectIdentifierSchema>;

export const ColumnKindSchema = z.enum(['PHYSICAL', 'COMPUTED', 'METADATA']);

/** Column of a ResolvedSchema (Column.PhysicalColumn / ComputedColumn / MetadataColumn). */
export const CatalogColumnSchema = z.object({
  name: Identifier,
  dataType: described(TextMin1(10_000), "Column.getDataType() as Flink prints it, e.g. 'BIGINT NOT NULL', 'TIMESTAMP(3)'"),
  comment: z.optional(Text(10_000)),
  kind: z._default(ColumnKindSchema, 'PHYSICAL'),
  expression: described(z.optional(Text(10_000)), 'ComputedColumn.getExpression() (as SQL)'),
  metadataKey: described(z.optional(Text(1000)), 'MetadataColumn.getMetadataKey()'),
  virtual: described(z.optional(z.boolean()), 'MetadataColumn.isVirtual()'),
});
export type CatalogColumn = z.infer<typeof CatalogColumnSchema>;

const ResolvedSchemaSchema = z.object({
  columns: z.array(CatalogColumnSchema).check(z.maxLength(5000)),
  primaryKey: described(
    z.optional(z.object({ name: z.optional(Text(1000)), columns: z.array(Identifier).check(z.minLength(1), z.maxLength(5000)) })),
    'UniqueConstraint of type PRIMARY_KEY',
  ),
  watermarkSpecs: described(
    z.optional(z.array(z.object({ rowtimeAttribute: Identifier, expression: TextMin1(10_000) })).check(z.maxLength(100))),
    'WatermarkSpec: rowtime attribute and watermark expression (as SQL)',
  ),
});

export const TableKindSchema = z.enum(['TABLE', 'VIEW', 'MATERIALIZED_TABLE']);

/** CatalogBaseTable (CatalogTable or CatalogView), resolved. */
export const CatalogBaseTableSchema = z.object({
  tableKind: TableKindSchema,
  comment: z.optional(Text(100_000)),
  schema: ResolvedSchemaSchema,
  partitionKeys: z.optional(z.array(Identifier).check(z.maxLength(1000))),
  options: z.optional(OptionsSchema),
  originalQuery: described(z.optional(Text(1_000_000)), 'CatalogView.getOriginalQuery()'),
  expandedQuery: described(z.optional(Text(1_000_000)), 'CatalogView.getExpandedQuery(): identifiers fully qualified'),
});
export type CatalogBaseTable = z.infer<typeof CatalogBaseTableSchema>;

export const CatalogActionSchema = z.enum(['CREATE', 'ALTER', 'DROP']);
export type CatalogAction = z.infer<typeof CatalogActionSchema>;

const needsDefinition = (field: 'table' | 'database') =>
  z.superRefine((value: { action?: unknown; table?: unknown; database?: unknown }, ctx) => {
    if (value.action !== 'DROP' && value[field] === undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: `required for ${String(value.action)}` });
    }
  });

export const makeCatalogTableEventSchema = <E extends z.core.$ZodShape>(envelope: E) =>
  described(
    z
      .object({
        type: z.literal('catalog.table'),
        ...envelope,
        action: described(CatalogActionSchema, 'CreateTableEvent, AlterTableEvent or DropTableEvent'),
        catalog: z.optional(CatalogContextSchema),
        identifier: ObjectIdentifierSchema,
        temporary: described(z.optional(z.boolean()), 'TableModificationEvent.isTemporary()'),
        ignoreIfExists: z.optional(z.boolean()),
        ignoreIfNotExists: z.optional(z.boolean()),
        table: described(z.optional(CatalogBaseTableSchema), 'table() of CREATE, newTable() of ALTER; optional for DROP'),
      })
      .check(needsDefinition('table')),
    'A table or view created, altered or dropped in a Flink catalog, from a CatalogModificationListener',
  );

export const makeCatalogDatabaseEventSchema = <E extends z.core.$ZodShape>(envelope: E) =>
  described(
    z
      .object({
        type: z.literal('catalog.database'),
        ...envelope,
        action: described(CatalogActionSchema, 'CreateDatabaseEvent, AlterDatabaseEvent or DropDatabaseEvent'),
        catalog: z.optional(CatalogContextSchema),
        catalogName: described(Identifier, 'CatalogContext.getCatalogName()'),
        databaseName: described(Identifier, 'DatabaseModificationEvent.databaseName()'),
        ignoreIfExists: z.optional(z.boolean()),
        ignoreIfNotExists: z.optional(z.boolean()),
        cascade: described(z.optional(z.boolean()), 'DropDatabaseEvent.cascade()'),
        database: described(
          z.optional(z.object({ comment: z.optional(Text(100_000)), properties: z.optional(OptionsSchema) })),
          'database() of CREATE, newDatabase() of ALTER (CatalogDatabase); optional for DROP',
        ),
      })
      .check(needsDefinition('database')),
    'A database created, altered or dropped in a Flink catalog, from a CatalogModificationListener',
  );
