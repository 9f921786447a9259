// qualifiedName conventions for the bridge's own types. They are part of the public contract:
// changing them would orphan every entity already written, so never change them silently.
import type { NamingContext } from '../shared/namingContext.js';

/** `<cluster>/<job name>@<atlas namespace>`: cluster names hold no '/', so the split is unambiguous. */
export const jobQualifiedName = (cluster: string, jobName: string, ctx: NamingContext): string =>
  `${cluster}/${jobName}@${ctx.atlasNamespace}`;

/** `<cluster>/<job name>/<Flink JobID>@<atlas namespace>`. */
export const runQualifiedName = (cluster: string, jobName: string, jobId: string, ctx: NamingContext): string =>
  `${cluster}/${jobName}/${jobId}@${ctx.atlasNamespace}`;

export const runDisplayName = (jobName: string, jobId: string): string => `${jobName} (${jobId})`;
