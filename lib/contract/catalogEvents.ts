// The native catalog events: what a Flink CatalogModificationListener (org.apache.flink.table.catalog.listener,
// Flink 1.18+, `table.catalog-modification.listeners`) sees, as JSON. Field names are those of Flink's getters
// (Jackson's bean names: isTemporary() → temporary): ObjectIdentifier, CatalogContext, CatalogBaseTable,
// ResolvedSchema (Column, UniqueConstraint, WatermarkSpec), CatalogView and CatalogDatabase.
import * as z from 'zod';
import { redactOptions } from './secrets.js';

const Identifier = z.string().min(1).max(256);
const Text = (max: number) => z.string().max(max);

/** Connector options or database properties; secrets are replaced by `******` as soon as the event is read. */
const OptionsSchema = z
  .record(z.string().min(1).max(1000), z.string().max(100_000))
  .transform(redactOptions)
  .describe('String options; values of secret keys (password, *secret*, *token*, sasl.jaas.config, ...) are redacted on arrival');

/** CatalogContext: which kind of catalog fired the event (the name travels in the identifier). */
const CatalogContextSchema = z
  .object({
    factoryIdentifier: Text(200).optional().describe("CatalogContext.getFactoryIdentifier(), e.g. 'hive', 'jdbc', 'generic_in_memory'"),
    className: Text(1000).optional().describe('CatalogContext.getClazz().getName(), e.g. org.apache.flink.table.catalog.hive.HiveCatalog'),
  })
  .describe('CatalogContext of the catalog that fired the event');

export const ObjectIdentifierSchema = z
  .object({ catalogName: Identifier, databaseName: Identifier, objectName: Identifier })
  .describe('ObjectIdentifier of the table or view');
export type ObjectIdentifier = z.infer<typeof ObjectIdentifierSchema>;

export const ColumnKindSchema = z.enum(['PHYSICAL', 'COMPUTED', 'METADATA']);

/** Column of a ResolvedSchema (Column.PhysicalColumn / ComputedColumn / MetadataColumn). */
export const CatalogColumnSchema = z.object({
  name: Identifier,
  dataType: Text(10_000).min(1).describe("Column.getDataType() as Flink prints it, e.g. 'BIGINT NOT NULL', 'TIMESTAMP(3)'"),
  comment: Text(10_000).optional(),
  kind: ColumnKindSchema.default('PHYSICAL'),
  expression: Text(10_000).optional().describe('ComputedColumn.getExpression() (as SQL)'),
  metadataKey: Text(1000).optional().describe('MetadataColumn.getMetadataKey()'),
  virtual: z.boolean().optional().describe('MetadataColumn.isVirtual()'),
});
export type CatalogColumn = z.infer<typeof CatalogColumnSchema>;

const ResolvedSchemaSchema = z.object({
  columns: z.array(CatalogColumnSchema).max(5000),
  primaryKey: z
    .object({ name: Text(1000).optional(), columns: z.array(Identifier).min(1).max(5000) })
    .optional()
    .describe('UniqueConstraint of type PRIMARY_KEY'),
  watermarkSpecs: z
    .array(z.object({ rowtimeAttribute: Identifier, expression: Text(10_000).min(1) }))
    .max(100)
    .optional()
    .describe('WatermarkSpec: rowtime attribute and watermark expression (as SQL)'),
});

export const TableKindSchema = z.enum(['TABLE', 'VIEW', 'MATERIALIZED_TABLE']);

/** CatalogBaseTable (CatalogTable or CatalogView), resolved. */
export const CatalogBaseTableSchema = z.object({
  tableKind: TableKindSchema,
  comment: Text(100_000).optional(),
  schema: ResolvedSchemaSchema,
  partitionKeys: z.array(Identifier).max(1000).optional(),
  options: OptionsSchema.optional(),
  originalQuery: Text(1_000_000).optional().describe('CatalogView.getOriginalQuery()'),
  expandedQuery: Text(1_000_000).optional().describe('CatalogView.getExpandedQuery(): identifiers fully qualified'),
});
export type CatalogBaseTable = z.infer<typeof CatalogBaseTableSchema>;

export const CatalogActionSchema = z.enum(['CREATE', 'ALTER', 'DROP']);
export type CatalogAction = z.infer<typeof CatalogActionSchema>;

const needsDefinition = (field: 'table' | 'database') => (value: { action?: unknown; table?: unknown; database?: unknown }, ctx: z.RefinementCtx) => {
  if (value.action !== 'DROP' && value[field] === undefined) {
    ctx.addIssue({ code: 'custom', path: [field], message: `required for ${String(value.action)}` });
  }
};

export const makeCatalogTableEventSchema = <E extends z.ZodRawShape>(envelope: E) =>
  z
    .object({
      type: z.literal('catalog.table'),
      ...envelope,
      action: CatalogActionSchema.describe('CreateTableEvent, AlterTableEvent or DropTableEvent'),
      catalog: CatalogContextSchema.optional(),
      identifier: ObjectIdentifierSchema,
      temporary: z.boolean().optional().describe('TableModificationEvent.isTemporary()'),
      ignoreIfExists: z.boolean().optional(),
      ignoreIfNotExists: z.boolean().optional(),
      table: CatalogBaseTableSchema.optional().describe('table() of CREATE, newTable() of ALTER; optional for DROP'),
    })
    .superRefine(needsDefinition('table'))
    .describe('A table or view created, altered or dropped in a Flink catalog, from a CatalogModificationListener');

export const makeCatalogDatabaseEventSchema = <E extends z.ZodRawShape>(envelope: E) =>
  z
    .object({
      type: z.literal('catalog.database'),
      ...envelope,
      action: CatalogActionSchema.describe('CreateDatabaseEvent, AlterDatabaseEvent or DropDatabaseEvent'),
      catalog: CatalogContextSchema.optional(),
      catalogName: Identifier.describe('CatalogContext.getCatalogName()'),
      databaseName: Identifier.describe('DatabaseModificationEvent.databaseName()'),
      ignoreIfExists: z.boolean().optional(),
      ignoreIfNotExists: z.boolean().optional(),
      cascade: z.boolean().optional().describe('DropDatabaseEvent.cascade()'),
      database: z
        .object({ comment: Text(100_000).optional(), properties: OptionsSchema.optional() })
        .optional()
        .describe('database() of CREATE, newDatabase() of ALTER (CatalogDatabase); optional for DROP'),
    })
    .superRefine(needsDefinition('database'))
    .describe('A database created, altered or dropped in a Flink catalog, from a CatalogModificationListener');
