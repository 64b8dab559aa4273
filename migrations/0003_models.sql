-- Model nodes added in the Models view (the ones from settings are not stored here),
-- and the preferred model per task category.
CREATE TABLE model_nodes (
  id       TEXT PRIMARY KEY,
  kind     TEXT NOT NULL CHECK (kind IN ('ollama', 'openai')),
  url      TEXT NOT NULL UNIQUE,
  label    TEXT NOT NULL,
  added_at TEXT NOT NULL
) STRICT;

CREATE TABLE model_preferences (
  category   TEXT PRIMARY KEY,
  model      TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
