// Package backup makes and restores shopcare's backups.
//
// On SQLite a backup is a consistent snapshot of the live database taken
// while serve runs: VACUUM INTO a temporary file (one statement, a read
// transaction: writers go on), PRAGMA integrity_check on the copy, then one
// gzip-compressed tar archive holding the copy and a manifest.json (the
// shopcare version, the schema version, the engine, when, the row count of
// every table and the copy's SHA-256). The archive is written under a
// temporary name and renamed, so a crash never leaves half an archive
// under a backup's name.
//
// A restore goes into an empty data directory only: it checks the
// archive's checksum and manifest, refuses a schema newer than this
// binary's, checks the database's integrity and that every table holds
// the rows the manifest counted, and only then puts shopcare.db in place.
//
// On PostgreSQL the backup is pg_dump's (custom format) in the same
// archive when pg_dump is installed; else the operator is told the line to
// run. Restoring such a dump is pg_restore's job: the line is printed.
//
// The Service runs the scheduled side on the job queue's leader: the
// daily backup at the shop's chosen hour (wall clock, the shop's time
// zone), the retention (7 daily, 4 weekly), the monthly restore test, and
// SQLite's WAL checkpoint when the database is idle. It owns the table
// backups, the record of each run.
package backup
