-- Every run of the verification checklist, kept for the run history and for
-- reports. Results are stored as the JSON the contract carries.
CREATE TABLE check_runs (
  id            INTEGER PRIMARY KEY,
  trigger       TEXT NOT NULL CHECK (trigger IN ('start', 'manual', 'schedule', 'fix')),
  started_at    TEXT NOT NULL,
  finished_at   TEXT NOT NULL,
  verdict       TEXT NOT NULL CHECK (verdict IN ('healthy', 'warnings', 'unhealthy')),
  results_json  TEXT NOT NULL,
  playbook_json TEXT NOT NULL
) STRICT;

CREATE INDEX check_runs_started ON check_runs (started_at DESC);
