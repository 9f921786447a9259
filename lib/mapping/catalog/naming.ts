// qualifiedNames of the Flink catalog objects: Flink's own summary strings (ObjectIdentifier.asSummaryString(),
// the names OpenLineage's symlinks carry) plus the Atlas namespace, as Atlas's Hive hook names hive_db,
// hive_table and hive_column. Part of the public contract: never changed silently.
import type { ObjectIdentifier } from '../../contract/index.js';
import type { NamingContext } from '../shared/namingContext.js';

export const CATALOG_TYPE = 'flink_catalog';
export const DATABASE_TYPE = 'flink_database';
export const TABLE_TYPE = 'flink_table';
export const COLUMN_TYPE = 'flink_column';
export const VIEW_QUERY_TYPE = 'flink_view_query';

/** `<catalog>@<ns>` */
export const catalogQualifiedName = (catalogName: string, ctx: NamingContext): string => `${catalogName}@${ctx.atlasNamespace}`;

/** `<catalog>.<database>@<ns>` */
export const databaseQualifiedName = (catalogName: string, databaseName: string, ctx: NamingContext): string =>
  `${catalogName}.${databaseName}@${ctx.atlasNamespace}`;

/** `<catalog>.<database>.<table>`: ObjectIdentifier.asSummaryString(), without the namespace. */
export const tablePath = (id: ObjectIdentifier): string => `${id.catalogName}.${id.databaseName}.${id.objectName}`;

/** `<catalog>.<database>.<table>@<ns>` (tables and views alike). */
export const tableQualifiedName = (id: ObjectIdentifier, ctx: NamingContext): string => `${tablePath(id)}@${ctx.atlasNamespace}`;

/** `<catalog>.<database>.<table>.<column>@<ns>` */
export const columnQualifiedName = (id: ObjectIdentifier, column: string, ctx: NamingContext): string =>
  `${tablePath(id)}.${column}@${ctx.atlasNamespace}`;

/** `<catalog>.<database>.<view>/query@<ns>`: the Process from the tables a view reads to the view. */
export const viewQueryQualifiedName = (id: ObjectIdentifier, ctx: NamingContext): string =>
  `${tablePath(id)}/query@${ctx.atlasNamespace}`;

/**
 * `catalog.database.table` (an OpenLineage TABLE symlink) → its identifier. Flink prints identifiers without
 * quoting, so a name with more or fewer than three dot-separated parts cannot be split and is not a table.
 */
export const parseTablePath = (path: string): ObjectIdentifier | undefined => {
  const parts = path.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) return undefined;
  const [catalogName, databaseName, objectName] = parts as [string, string, string];
  return { catalogName, databaseName, objectName };
};
