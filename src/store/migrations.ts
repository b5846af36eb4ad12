// The store's schema as an ordered list of steps: step i takes a database from
// `PRAGMA user_version` i to i + 1, in one transaction with the version bump.
// Append new steps at the end; never edit a step that has shipped.
//
// Every byte payload lives in the blob folder and has one row in `blobs`; the
// tables that hold objects (files, response items) point at blob rows, so the startup sweep needs to know only `blobs`.
export const migrations: readonly string[] = [
  // 1: blobs and files.
  `CREATE TABLE blobs (
     key        TEXT PRIMARY KEY,      -- the file name under <dataDir>/blobs
     bytes      INTEGER NOT NULL,
     sha256     TEXT NOT NULL,         -- hex digest of the bytes, as written
     created_at INTEGER NOT NULL       -- unix seconds
   ) STRICT;

   CREATE TABLE files (
     seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- creation order: the list order and cursor
     id           TEXT NOT NULL UNIQUE,               -- file-…
     owner        TEXT NOT NULL,                      -- ownerOf(api key): sha256:… or anonymous
     purpose      TEXT NOT NULL,
     filename     TEXT NOT NULL,
     content_type TEXT NOT NULL,
     bytes        INTEGER NOT NULL,
     created_at   INTEGER NOT NULL,
     expires_at   INTEGER,                            -- null: kept until deleted
     blob         TEXT NOT NULL REFERENCES blobs(key)
   ) STRICT;

   CREATE INDEX files_by_owner ON files (owner, seq);
   CREATE INDEX files_by_owner_purpose ON files (owner, purpose, seq);
   CREATE INDEX files_by_expiry ON files (expires_at) WHERE expires_at IS NOT NULL;`,

  // 2: responses and their input and output items; image results live in blobs.
  `CREATE TABLE responses (
     seq        INTEGER PRIMARY KEY AUTOINCREMENT,  -- creation order
     id         TEXT NOT NULL UNIQUE,               -- resp_…
     owner      TEXT NOT NULL,
     status     TEXT NOT NULL,                      -- copy of body.status, for finding unfinished ones
     created_at INTEGER NOT NULL,
     body       TEXT NOT NULL                       -- the Response object as JSON, with "output": []
   ) STRICT;

   CREATE TABLE response_items (
     response_seq INTEGER NOT NULL REFERENCES responses (seq) ON DELETE CASCADE,
     kind         TEXT NOT NULL CHECK (kind IN ('input', 'output')),
     position     INTEGER NOT NULL,
     item_id      TEXT NOT NULL,
     owner        TEXT NOT NULL,
     body         TEXT NOT NULL,                    -- the item as JSON; "result": null when it is in result_blob
     result_blob  TEXT REFERENCES blobs (key),      -- an image_generation_call's image, as bytes
     PRIMARY KEY (response_seq, kind, position)
   ) STRICT;

   CREATE INDEX responses_unfinished ON responses (status) WHERE status IN ('queued', 'in_progress');
   CREATE INDEX response_items_by_item ON response_items (owner, item_id);`,

  // 3: what each owner used per UTC day, for the per-key daily limits.
  `CREATE TABLE daily_usage (
     owner  TEXT NOT NULL,
     day    TEXT NOT NULL,                          -- YYYY-MM-DD, UTC
     images INTEGER NOT NULL DEFAULT 0,
     tokens INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (owner, day)
   ) STRICT;`,
];
