// The shared store's schema, as ordered steps like the embedded store's
// (src/store/migrations.ts): step i takes the database from version i to
// i + 1. Append new steps; never edit one that has shipped.
//
// Every byte payload is a row in `blobs` with its bytes in 1 MiB rows of
// `blob_chunks`, so nothing is read or written whole. A blob is written
// uncommitted, then committed in the transaction that stores the object
// pointing at it; uncommitted blobs older than an hour, and blobs past their
// `expires_at` (a job's input pictures, picture URLs), are swept.
export const migrations: readonly string[] = [
  `CREATE TABLE blobs (
     key        text PRIMARY KEY,
     bytes      bigint NOT NULL DEFAULT 0,
     sha256     text NOT NULL DEFAULT '',
     created_at bigint NOT NULL,
     committed  boolean NOT NULL DEFAULT false,
     expires_at bigint
   );
   CREATE INDEX blobs_uncommitted ON blobs (created_at) WHERE NOT committed;
   CREATE INDEX blobs_by_expiry ON blobs (expires_at) WHERE expires_at IS NOT NULL;

   CREATE TABLE blob_chunks (
     key  text NOT NULL REFERENCES blobs (key) ON DELETE CASCADE,
     seq  integer NOT NULL,
     data bytea NOT NULL,
     PRIMARY KEY (key, seq)
   );

   CREATE TABLE files (
     seq          bigserial PRIMARY KEY,
     id           text NOT NULL UNIQUE,
     owner        text NOT NULL,
     purpose      text NOT NULL,
     filename     text NOT NULL,
     content_type text NOT NULL,
     bytes        bigint NOT NULL,
     created_at   bigint NOT NULL,
     expires_at   bigint,
     blob         text NOT NULL REFERENCES blobs (key)
   );
   CREATE INDEX files_by_owner ON files (owner, seq);
   CREATE INDEX files_by_owner_purpose ON files (owner, purpose, seq);
   CREATE INDEX files_by_expiry ON files (expires_at) WHERE expires_at IS NOT NULL;

   CREATE TABLE responses (
     seq        bigserial PRIMARY KEY,
     id         text NOT NULL UNIQUE,
     owner      text NOT NULL,
     status     text NOT NULL,
     created_at bigint NOT NULL,
     body       json NOT NULL
   );
   CREATE INDEX responses_unfinished ON responses (status) WHERE status IN ('queued', 'in_progress');

   CREATE TABLE response_items (
     response_seq bigint NOT NULL REFERENCES responses (seq) ON DELETE CASCADE,
     kind         text NOT NULL CHECK (kind IN ('input', 'output')),
     position     integer NOT NULL,
     item_id      text NOT NULL,
     owner        text NOT NULL,
     body         json NOT NULL,
     result_blob  text REFERENCES blobs (key),
     PRIMARY KEY (response_seq, kind, position)
   );
   CREATE INDEX response_items_by_item ON response_items (owner, item_id);

   CREATE TABLE daily_usage (
     owner  text NOT NULL,
     day    text NOT NULL,
     images bigint NOT NULL DEFAULT 0,
     tokens bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (owner, day)
   );

   CREATE TABLE picture_urls (
     name text PRIMARY KEY,
     blob text NOT NULL REFERENCES blobs (key) ON DELETE CASCADE
   );

   CREATE TABLE settings (
     name  text PRIMARY KEY,
     value bytea NOT NULL
   );`,
];
