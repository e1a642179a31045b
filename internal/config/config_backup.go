package config

import (
	"github.com/shopcare/shopcare/internal/invalid"
)

// Bounds of the backup settings.
const (
	maxBackupKeep        = 366
	maxRestoreTestDays   = 366
	defaultBackupHour    = 3
	defaultKeepDaily     = 7
	defaultKeepWeekly    = 4
	defaultRestoreTestIn = 30
)

// Backup is the scheduled backup of the shop's database (SQLite): when it
// runs, where it goes, how many are kept, and how often one is restored
// to prove it can be.
type Backup struct {
	// Enabled makes the daily backup; default true. It backs up the
	// embedded SQLite database; on PostgreSQL use pg_dump's schedule.
	Enabled bool `yaml:"enabled"`
	// Dir is the directory of the backups; default the data directory's
	// backups/. Another disk (or a mounted remote one) keeps them from
	// dying with the database's.
	Dir string `yaml:"dir"`
	// Hour is the hour of the day (0–23, the shop's time zone, the wall
	// clock) the daily backup runs at; default 3.
	Hour int `yaml:"hour"`
	// KeepDaily keeps the newest backup of each of that many latest days;
	// default 7.
	KeepDaily int `yaml:"keep_daily"`
	// KeepWeekly keeps besides the newest backup of each of that many
	// ISO weeks before the daily ones; default 4.
	KeepWeekly int `yaml:"keep_weekly"`
	// RestoreTestDays restores the newest backup into a temporary
	// directory and checks it every that many days; default 30, 0 never.
	RestoreTestDays int `yaml:"restore_test_days"`
}

// defaultBackup is the backup of a shop that has not set its own.
func defaultBackup() Backup {
	return Backup{Enabled: true, Hour: defaultBackupHour, KeepDaily: defaultKeepDaily, KeepWeekly: defaultKeepWeekly,
		RestoreTestDays: defaultRestoreTestIn}
}

// validateBackup checks the hour and the counts.
func (s *Settings) validateBackup(errs *invalid.List) {
	b := s.Backup
	if b.Hour < 0 || b.Hour > 23 {
		errs.Add("backup.hour", "invalid", "must be an hour between 0 and 23")
	}
	if b.KeepDaily < 1 || b.KeepDaily > maxBackupKeep {
		errs.Add("backup.keep_daily", "invalid", "must be between 1 and %d", maxBackupKeep)
	}
	if b.KeepWeekly < 0 || b.KeepWeekly > maxBackupKeep {
		errs.Add("backup.keep_weekly", "invalid", "must be between 0 and %d", maxBackupKeep)
	}
	if b.RestoreTestDays < 0 || b.RestoreTestDays > maxRestoreTestDays {
		errs.Add("backup.restore_test_days", "invalid", "must be between 0 (never) and %d", maxRestoreTestDays)
	}
}
