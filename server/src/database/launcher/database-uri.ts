/**
 * Returns `uri` with its database path replaced by `database`, keeping hosts, credentials and
 * options. String surgery rather than `URL`: mongodb URIs may list several comma-separated hosts.
 */
export function withDatabaseName(uri: string, database: string): string {
  const schemeEnd = uri.indexOf('://');
  if (schemeEnd < 0) throw new Error(`Not a MongoDB connection string: ${uri}`);
  const queryStart = uri.indexOf('?', schemeEnd);
  const base = queryStart < 0 ? uri : uri.slice(0, queryStart);
  const query = queryStart < 0 ? '' : uri.slice(queryStart);
  const pathStart = base.indexOf('/', schemeEnd + 3);
  const hosts = pathStart < 0 ? base : base.slice(0, pathStart);
  return `${hosts}/${database}${query}`;
}
