package callback

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
)

// maxNotes caps ReachedInput.Notes, in characters (the address has
// order.MaxAddressLen).
const maxNotes = 2000

// ReachedInput is what the operator confirmed with the customer.
type ReachedInput struct {
	// Address is the delivery address; required when the order has none,
	// else it replaces the order's when given.
	Address string
	// Window is the delivery time window chosen: one of Windows' codes
	// (or labels), or "" when none was chosen.
	Window string
	// Notes are the operator's own words, kept in the order's note.
	Notes string
}

// Result is what an outcome did.
type Result struct {
	TaskID  int64
	OrderID int64
	// Attempts counts the calls made, this one included.
	Attempts int
	// Closed says the task is done; Outcome how it ended.
	Closed  bool
	Outcome task.Outcome
	// NextDueAt is the next try when the task stays open.
	NextDueAt time.Time
	// Emailed says an e-mail to the customer was scheduled (once per
	// order: callback_missed or callback_wrong_number).
	Emailed bool
	// OrderMoved says the order went from new to processing.
	OrderMoved bool
}

// Reached records a call that reached the customer: it saves the address
// (now confirmed: the order's AddressConfirmedAt) and time window, closes the task, leaves a callback_reached
// note by author and moves a new order to processing (an order that moved
// on already stays where it is). Wrong input is an invalid.List naming
// address or window.
func (s *Service) Reached(ctx context.Context, taskID int64, in ReachedInput, author string) (Result, error) {
	t, err := callbackTask(task.Get(ctx, s.db.Read(), taskID))
	if err != nil {
		return Result{}, err
	}
	if t.Status != task.Open {
		return Result{}, fmt.Errorf("call-back %d: %w", taskID, ErrTaskClosed)
	}
	status, address, err := order.GetStatusAddress(ctx, s.db.Read(), t.OrderID)
	if err != nil {
		return Result{}, fmt.Errorf("call-back %d: load order %d: %w", taskID, t.OrderID, err)
	}
	in, err = s.validate(in, address)
	if err != nil {
		return Result{}, err
	}
	res := Result{TaskID: t.ID, OrderID: t.OrderID, Closed: true, Outcome: task.Reached}
	// The status moves first, in its own transaction (order.Service
	// journals it), and only when the task is still open: should the
	// outcome's transaction then fail, a retry finds the order in
	// processing already and records the call alone.
	if status == order.New {
		res.OrderMoved, err = s.orders.ChangeStatus(ctx, t.OrderID, order.StatusUpdate{Status: order.Processing, Source: order.SourceAdmin})
		if err != nil {
			return Result{}, fmt.Errorf("call-back %d: %w", taskID, err)
		}
	}
	lang := s.shopLang()
	lines := []string{i18n.Text(lang, "callback.note.reached", nil)}
	if in.Address != "" {
		lines = append(lines, i18n.Text(lang, "callback.note.address", map[string]any{"Address": in.Address}))
	}
	if in.Window != "" {
		w, _ := s.window(in.Window)
		lines = append(lines, i18n.Text(lang, "callback.note.window", map[string]any{"Window": w.Label}))
	}
	if in.Notes != "" {
		lines = append(lines, i18n.Text(lang, "callback.note.notes", map[string]any{"Notes": in.Notes}))
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		now := s.clock.Now()
		t, err := s.lock(ctx, tx, taskID, now)
		if err != nil {
			return err
		}
		res.Attempts = t.Attempts + 1
		if err := saveDelivery(ctx, tx, t.OrderID, in, now); err != nil {
			return err
		}
		if err := task.Close(ctx, tx, t.ID, task.Reached, author, now); err != nil {
			return err
		}
		return order.NoteAdd(ctx, tx, order.Note{OrderID: t.OrderID, Kind: NoteReached, Body: strings.Join(lines, "\n"), Author: author, CreatedAt: now})
	})
	if err != nil {
		return Result{}, fmt.Errorf("call-back %d reached: %w", taskID, err)
	}
	return res, nil
}

// saveDelivery keeps what the call confirmed on the order: the address
// and time window given (an empty one leaves the order's as it is), and
// that the address is now confirmed, as of now.
func saveDelivery(ctx context.Context, tx *store.Tx, orderID int64, in ReachedInput, now time.Time) error {
	err := order.SetDeliveryConfirmed(ctx, tx, order.DeliveryConfirm{OrderID: orderID, Address: in.Address, Window: in.Window, At: now})
	if err != nil {
		return fmt.Errorf("save address of order %d: %w", orderID, err)
	}
	return nil
}

// validate checks the operator's input against the order's address and
// the windows on offer, and returns it tidied: the window as its code.
func (s *Service) validate(in ReachedInput, address string) (ReachedInput, error) {
	var errs invalid.List
	in.Address = order.TidyAddress(in.Address)
	in.Notes = strings.TrimSpace(in.Notes)
	in.Window = strings.TrimSpace(in.Window)
	if in.Address == "" && strings.TrimSpace(address) == "" {
		errs.Add("address", "required", "the order has no address: ask for it")
	} else if e := order.CheckAddress("address", in.Address); e != nil {
		errs = append(errs, e)
	}
	if utf8.RuneCountInString(in.Notes) > maxNotes || strings.ContainsRune(in.Notes, 0) {
		errs.Add("notes", "too_long", "must be at most %d characters, without NUL", maxNotes)
	}
	if in.Window != "" {
		w, ok := s.window(in.Window)
		if !ok {
			codes := make([]string, 0, 4)
			for _, w := range s.Windows() {
				codes = append(codes, w.Code)
			}
			errs.Add("window", "invalid", "%q is not one of the time windows on offer: %s", in.Window, strings.Join(codes, ", "))
		}
		in.Window = w.Code
	}
	return in, errs.Err()
}

// NoAnswer records a call nobody answered. Before the shop's
// callback_tries calls the task stays open, due again at the first moment
// callback_retry_after later when the shop works and the customer may be
// called; the last call closes it and e-mails the customer to call back
// (the callback_missed rule, once per order). Either way a
// callback_no_answer note by author says what happens next.
func (s *Service) NoAnswer(ctx context.Context, taskID int64, author string) (Result, error) {
	var res Result
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		now := s.clock.Now()
		t, err := s.lock(ctx, tx, taskID, now)
		if err != nil {
			return err
		}
		c, err := s.contact(ctx, tx, t.OrderID)
		if err != nil {
			return err
		}
		tries := s.settings.Shop.CallbackTries
		res = Result{TaskID: t.ID, OrderID: t.OrderID, Attempts: t.Attempts + 1}
		lang := s.shopLang()
		data := map[string]any{"Attempt": strconv.Itoa(res.Attempts), "Tries": strconv.Itoa(max(tries, res.Attempts))}
		var body string
		if res.Attempts < tries {
			res.NextDueAt = s.playbook.NextCallTime(now.Add(time.Duration(s.settings.Shop.CallbackRetryAfter)), s.location(c.zone))
			if err := task.Retry(ctx, tx, t.ID, res.NextDueAt, now); err != nil {
				return err
			}
			data["Next"] = i18n.FormatDayTime(lang, res.NextDueAt.In(s.settings.Shop.Location()))
			body = i18n.Text(lang, "callback.note.no_answer", data)
		} else {
			res.Closed, res.Outcome = true, task.NoAnswer
			if err := task.Close(ctx, tx, t.ID, task.NoAnswer, author, now); err != nil {
				return err
			}
			if err := s.missed(ctx, tx, t, c.id, CauseMissed, now); err != nil {
				return err
			}
			scheduled, err := s.playbook.Trigger(ctx, tx, RuleMissed, t.OrderID)
			if err != nil {
				return err
			}
			res.Emailed = scheduled && c.email
			if res.Emailed {
				body = i18n.Text(lang, "callback.note.no_answer_last", data)
			} else {
				body = i18n.Text(lang, "callback.note.no_answer_stop", data)
			}
		}
		return order.NoteAdd(ctx, tx, order.Note{OrderID: t.OrderID, Kind: NoteNoAnswer, Body: body, Author: author, CreatedAt: now})
	})
	if err != nil {
		return Result{}, fmt.Errorf("call-back %d no answer: %w", taskID, err)
	}
	return res, nil
}

// WrongNumber records that the number is not the customer's: it closes
// the task, marks the phone failed for SMS (until it changes), e-mails the
// customer for the right number (the callback_wrong_number rule, once per
// order) and leaves a callback_wrong_number note by author.
func (s *Service) WrongNumber(ctx context.Context, taskID int64, author string) (Result, error) {
	var res Result
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		now := s.clock.Now()
		t, err := s.lock(ctx, tx, taskID, now)
		if err != nil {
			return err
		}
		c, err := s.contact(ctx, tx, t.OrderID)
		if err != nil {
			return err
		}
		res = Result{TaskID: t.ID, OrderID: t.OrderID, Attempts: t.Attempts + 1, Closed: true, Outcome: task.WrongNumber}
		if err := task.Close(ctx, tx, t.ID, task.WrongNumber, author, now); err != nil {
			return err
		}
		if err := s.missed(ctx, tx, t, c.id, CauseWrongNumber, now); err != nil {
			return err
		}
		if c.phone != "" {
			why := fmt.Sprintf("wrong number, found on the call-back about order %s", c.number)
			if author != "" {
				why += " by " + author
			}
			if err := message.RecordFailure(ctx, tx, c.id, message.SMS, why, now); err != nil {
				return err
			}
		}
		scheduled, err := s.playbook.Trigger(ctx, tx, RuleWrongNumber, t.OrderID)
		if err != nil {
			return err
		}
		res.Emailed = scheduled && c.email
		data := map[string]any{"Phone": c.phone}
		body := i18n.Text(s.shopLang(), "callback.note.wrong_number_only", data)
		if res.Emailed {
			body = i18n.Text(s.shopLang(), "callback.note.wrong_number", data)
		}
		return order.NoteAdd(ctx, tx, order.Note{OrderID: t.OrderID, Kind: NoteWrongNumber, Body: body, Author: author, CreatedAt: now})
	})
	if err != nil {
		return Result{}, fmt.Errorf("call-back %d wrong number: %w", taskID, err)
	}
	return res, nil
}

// lock loads call-back taskID inside tx, locked, and refuses a closed one.
func (s *Service) lock(ctx context.Context, tx *store.Tx, taskID int64, now time.Time) (*task.Task, error) {
	t, err := callbackTask(task.Lock(ctx, tx, taskID, now))
	if err != nil {
		return nil, err
	}
	if t.Status != task.Open {
		return nil, ErrTaskClosed
	}
	return t, nil
}

// contactFacts is what an outcome needs of the order's customer.
type contactFacts struct {
	id     int64
	number string // the order's
	zone   string
	phone  string
	email  bool
}

func (s *Service) contact(ctx context.Context, q store.Querier, orderID int64) (contactFacts, error) {
	oc, err := order.GetContact(ctx, q, orderID)
	c := contactFacts{id: oc.CustomerID, number: oc.Number, zone: oc.Zone}
	if err != nil {
		return c, fmt.Errorf("load customer of order %d: %w", orderID, err)
	}
	c.phone, c.email = store.Text(oc.Phone), store.Text(oc.Email) != ""
	return c, nil
}
