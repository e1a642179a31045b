package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/task"
)

// parcelStatusText names a parcel's carrier status, for the shop's
// people and for customers alike; "" is a parcel the carrier has said
// nothing about yet.
func parcelStatusText(lang i18n.Lang, s carrier.Status) string {
	switch s {
	case "":
		return i18n.Text(lang, "parcel.status.none", nil)
	case carrier.Accepted:
		return i18n.Text(lang, "parcel.status.accepted", nil)
	case carrier.InTransit:
		return i18n.Text(lang, "parcel.status.in_transit", nil)
	case carrier.Customs:
		return i18n.Text(lang, "parcel.status.customs", nil)
	case carrier.ArrivedAtPickup:
		return i18n.Text(lang, "parcel.status.arrived_at_pickup", nil)
	case carrier.OutForDelivery:
		return i18n.Text(lang, "parcel.status.out_for_delivery", nil)
	case carrier.Delivered:
		return i18n.Text(lang, "parcel.status.delivered", nil)
	case carrier.FailedAttempt:
		return i18n.Text(lang, "parcel.status.failed_attempt", nil)
	case carrier.Returning:
		return i18n.Text(lang, "parcel.status.returning", nil)
	case carrier.Returned:
		return i18n.Text(lang, "parcel.status.returned", nil)
	case carrier.Lost:
		return i18n.Text(lang, "parcel.status.lost", nil)
	}
	return string(s)
}

// parcelStatusName is parcelStatusText for templates, which hold a
// status as a carrier.Status or as its text.
func parcelStatusName(lang i18n.Lang, s any) string {
	return parcelStatusText(lang, carrier.Status(fmt.Sprint(s)))
}

// taskKindText names a kind of task for the shop's people.
func taskKindText(lang i18n.Lang, k task.Kind) string {
	switch k {
	case task.Callback:
		return i18n.Text(lang, "admin.task.kind.callback", nil)
	case task.FindParcel:
		return i18n.Text(lang, "admin.task.kind.find_parcel", nil)
	case task.ReturnRequest:
		return i18n.Text(lang, "admin.task.kind.return_request", nil)
	case task.StockShort:
		return i18n.Text(lang, "admin.task.kind.stock_short", nil)
	}
	return string(k)
}

// findReason is why the playbook asked to find a parcel, read from the
// task's dedupe key o<order>:<rule>[:…]: "late", "stuck", "returning",
// or "" for a rule of the shop's own.
func findReason(dedupeKey string) string {
	parts := strings.SplitN(dedupeKey, ":", 3)
	if len(parts) < 2 {
		return ""
	}
	switch parts[1] {
	case "late_apology":
		return "late"
	case "parcel_stuck":
		return "stuck"
	case "parcel_returning":
		return "returning"
	}
	return ""
}

// findReasonText says in words why a parcel is to be found.
func findReasonText(lang i18n.Lang, dedupeKey string) string {
	switch findReason(dedupeKey) {
	case "late":
		return i18n.Text(lang, "admin.task.reason.late", nil)
	case "stuck":
		return i18n.Text(lang, "admin.task.reason.stuck", nil)
	case "returning":
		return i18n.Text(lang, "admin.task.reason.returning", nil)
	}
	return ""
}

// orderTask is a task on the order page, in words.
type orderTask struct {
	task.Task
	KindText   string
	Reason     string // why a parcel is to be found, "" otherwise
	Resolvable bool   // an open find_parcel task: the resolve button
	// OutcomeText is a done stock_short task's outcome in words.
	OutcomeText string
}

func orderTasks(lang i18n.Lang, ts []task.Task) []orderTask {
	out := make([]orderTask, len(ts))
	for i, t := range ts {
		out[i] = orderTask{Task: t, KindText: taskKindText(lang, t.Kind), OutcomeText: taskOutcomeText(lang, t)}
		if t.Kind == task.FindParcel {
			out[i].Reason = findReasonText(lang, t.DedupeKey)
			out[i].Resolvable = t.Status == task.Open
		}
		if t.Kind == task.ReturnRequest { // the operator arranged the return with the customer
			out[i].Resolvable = t.Status == task.Open
		}
	}
	return out
}

// parcelView is one parcel on the order page: its state, reminders and
// events.
type parcelView struct {
	parcel.Parcel
	Polled    bool   // the carrier's API is asked about it
	KeptUntil string // YYYY-MM-DD, while it waits at the pickup point
	Reminders []parcel.Reminder
	Events    []parcel.Event
}

// Waiting tells whether the parcel is at the pickup point now.
func (p parcelView) Waiting() bool { return p.Status == carrier.ArrivedAtPickup && p.ArrivedAt != nil }

// daysSince is how many whole shop-local days lie between from and now.
func daysSince(from, now time.Time, loc *time.Location) int {
	y, m, d := from.In(loc).Date()
	a := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	y, m, d = now.In(loc).Date()
	b := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return max(0, int(b.Sub(a).Hours()/24))
}

// parcelSourceName says where an event came from.
func parcelSourceName(lang i18n.Lang, s parcel.Source) string {
	switch s {
	case parcel.SourceAPI:
		return i18n.Text(lang, "parcel.source.api", nil)
	case parcel.SourcePoll:
		return i18n.Text(lang, "parcel.source.poll", nil)
	case parcel.SourceWebhook:
		return i18n.Text(lang, "parcel.source.webhook", nil)
	case parcel.SourceAdmin:
		return i18n.Text(lang, "parcel.source.admin", nil)
	}
	return string(s)
}

// reminderStateName names where a pickup reminder is.
func reminderStateName(lang i18n.Lang, state string) string {
	switch state {
	case "planned":
		return i18n.Text(lang, "parcel.reminder.planned", nil)
	case "sent":
		return i18n.Text(lang, "parcel.reminder.sent", nil)
	case "skipped":
		return i18n.Text(lang, "parcel.reminder.skipped", nil)
	case "cancelled":
		return i18n.Text(lang, "parcel.reminder.cancelled", nil)
	}
	return state
}
