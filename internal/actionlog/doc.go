// Package actionlog is the log of what people did to the shop's data in
// the admin, through the API and on the command line: who saved the
// settings, granted points, exported customers, added a user or revoked
// a token. It owns the admin_actions table.
//
// A line is written by the service that makes the change, in the same
// transaction (Record), so an action that rolls back leaves no line and
// every line has its action. Who acted travels in the context: the web
// and API surfaces and the commands put an Actor there (WithActor); a
// change made without one is the shop's own machinery (the playbook,
// the jobs) and is not an admin action, so Record writes nothing.
// Actions that write nothing (an export) are recorded once they have
// succeeded.
package actionlog
