package app

import "github.com/shopcare/shopcare/internal/service"

// Deps returns what the app's services are built on (its database, clock,
// logger and settings), for a command or a test building one more service
// the way Wire builds them.
func (a *App) Deps() service.Deps {
	return service.Deps{DB: a.DB, Clock: a.Clock, Log: a.Log, Settings: a.Settings}
}
