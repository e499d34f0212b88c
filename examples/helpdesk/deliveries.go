package main

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

// maxDelivered bounds the log of delivered effects the demo keeps.
const maxDelivered = 1000

// deliveryJSON is one effect the demo delivered: a message it sent the
// contact, or a notification it gave its users.
type deliveryJSON struct {
	Key          string            `json:"key"`
	DeliveredAt  time.Time         `json:"delivered_at"`
	DecidedAt    time.Time         `json:"decided_at"`
	Message      *outboundJSON     `json:"message,omitempty"`
	Notification *notificationJSON `json:"notification,omitempty"`
}

// deliveries is the demo's sender: it "sends" each effect by recording it,
// once per idempotency key, as a real host's sender deduplicates by key.
type deliveries struct {
	mu   sync.Mutex
	log  []deliveryJSON // oldest first
	seen map[string]bool
}

// send records f unless an effect with its key was recorded before.
func (d *deliveries) send(_ context.Context, f survey.Effect) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	if d.seen[f.Key] {
		return nil // sent before: the key makes delivery exactly-once
	}
	d.seen[f.Key] = true
	entry := deliveryJSON{Key: f.Key, DeliveredAt: time.Now().UTC(), DecidedAt: f.DecidedAt}
	if f.IsMessage() {
		m := outboundsOut([]survey.Outbound{f.Message})[0]
		entry.Message = &m
	} else {
		n := notificationsOut([]survey.Notification{f.Notification})[0]
		entry.Notification = &n
	}
	d.log = append(d.log, entry)
	if len(d.log) > maxDelivered {
		d.log = append(d.log[:0:0], d.log[len(d.log)-maxDelivered:]...)
	}
	return nil
}

// forget drops what was delivered for sessions, the sessions of an erased
// contact: messages that named them and alerts that quoted their words.
// Their keys stay known, so a redelivery is still not sent again.
func (d *deliveries) forget(sessions []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.log = slices.DeleteFunc(d.log, func(e deliveryJSON) bool {
		return e.Message != nil && slices.Contains(sessions, e.Message.SessionID) ||
			e.Notification != nil && slices.Contains(sessions, e.Notification.SessionID)
	})
}

// notifications are the delivered notifications, newest first.
func (d *deliveries) notifications() []deliveryJSON {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := []deliveryJSON{}
	for i := len(d.log) - 1; i >= 0; i-- {
		if d.log[i].Notification != nil {
			out = append(out, d.log[i])
		}
	}
	return out
}

// deliver hands every pending effect to the demo's sender: what the
// webhooks decided, the rating page's alerts and notices, the sweeps'
// rating requests.
func (a *app) deliver(ctx context.Context) (*survey.DeliverResult, error) {
	return a.engine.Deliver(ctx, a.sent.send, survey.DeliverOptions{})
}

// work sweeps (and applies the retention period) every minute and
// delivers every second until ctx ends, as a host's background worker
// does.
func (a *app) work(ctx context.Context, every time.Duration) {
	deliver := time.NewTicker(every)
	defer deliver.Stop()
	sweep := time.NewTicker(time.Minute)
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-sweep.C:
			if _, err := a.engine.Sweep(ctx); err != nil && a.logger != nil {
				a.logger.Warn("sweep", "error", err)
			}
			if _, err := a.engine.Retain(ctx); err != nil && a.logger != nil {
				a.logger.Warn("retention", "error", err)
			}
		case <-deliver.C:
			if _, err := a.deliver(ctx); err != nil && a.logger != nil {
				a.logger.Warn("deliver", "error", err)
			}
		}
	}
}

// apiDeliver delivers what is pending now and says how much.
func (a *app) apiDeliver(w http.ResponseWriter, r *http.Request) {
	res, err := a.deliver(r.Context())
	if err != nil {
		engineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// apiNotifications lists the notifications the demo delivered, newest
// first.
func (a *app) apiNotifications(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, struct {
		Notifications []deliveryJSON `json:"notifications"`
	}{a.sent.notifications()})
}
