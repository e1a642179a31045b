package telegramin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/inbox"
)

// testToken has the shape of a real bot token.
const testToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"

// fakeAPI is a Bot API server on 127.0.0.1 speaking the documented
// methods the inbox uses: getUpdates (JSON body, offset semantics: the
// updates from offset on), getMe, getFile and the file download,
// sendMessage, setWebhook, getWebhookInfo and deleteWebhook (multipart,
// as the library sends them).
type fakeAPI struct {
	t   *testing.T
	url string

	mu       sync.Mutex
	updates  []string // raw updates, by ascending update_id
	offsets  []int64  // the offset of each getUpdates
	sent     []map[string]string
	webhooks []map[string]string
	files    map[string][]byte // file_id → content
	getMes   int
	hooked   chan struct{}
	// failures are answers given to the next getUpdates calls instead of
	// updates: a status and a body.
	failures []failure
	// webhookURL is what getWebhookInfo reports; deleted counts
	// deleteWebhook.
	webhookURL string
	deleted    int
}

type failure struct {
	status int
	body   string
}

func startAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, files: map[string][]byte{}, hooked: make(chan struct{}, 10)}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if path, ok := strings.CutPrefix(r.URL.Path, "/file/bot"+testToken+"/"); ok && r.Method == http.MethodGet {
		f.mu.Lock()
		data, found := f.files[strings.TrimPrefix(path, "files/")]
		f.mu.Unlock()
		if !found {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(data)
		return
	}
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+testToken+"/")
	if !ok || r.Method != http.MethodPost {
		f.t.Errorf("%s %s: want POST /bot<token>/<method>", r.Method, r.URL.Path)
		reply(w, 404, `{"ok":false,"error_code":404,"description":"Not Found"}`)
		return
	}
	fields := map[string]string{}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			f.t.Errorf("%s: %v", method, err)
		}
		for k, v := range body {
			fields[k] = fmt.Sprint(v)
		}
	case "multipart/form-data":
		// getMe, getWebhookInfo and deleteWebhook without parameters:
		// the library sends an empty body.
		if err := r.ParseMultipartForm(1 << 20); err == nil {
			for k, vs := range r.MultipartForm.Value {
				fields[k] = vs[0]
			}
		} else if method != "getMe" && method != "getWebhookInfo" && method != "deleteWebhook" {
			f.t.Errorf("%s: %v", method, err)
		}
	default:
		f.t.Errorf("%s: Content-Type %q", method, mt)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch method {
	case "getUpdates":
		if len(f.failures) > 0 {
			fl := f.failures[0]
			f.failures = f.failures[1:]
			reply(w, fl.status, fl.body)
			return
		}
		var offset int64
		fmt.Sscan(fields["offset"], &offset)
		f.offsets = append(f.offsets, offset)
		if fields["timeout"] == "" || !strings.Contains(fields["allowed_updates"], "message") {
			f.t.Errorf("getUpdates without timeout or allowed_updates: %v", fields)
		}
		var out []string
		for _, u := range f.updates {
			var head struct {
				ID int64 `json:"update_id"`
			}
			_ = json.Unmarshal([]byte(u), &head)
			if head.ID >= offset {
				out = append(out, u)
			}
		}
		reply(w, 200, `{"ok":true,"result":[`+strings.Join(out, ",")+`]}`)
	case "getMe":
		f.getMes++
		reply(w, 200, `{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"Берёзка","username":"berezka_shop_bot","can_join_groups":false}}`)
	case "getFile":
		data, found := f.files[fields["file_id"]]
		if !found {
			reply(w, 400, `{"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"}`)
			return
		}
		reply(w, 200, fmt.Sprintf(`{"ok":true,"result":{"file_id":%q,"file_unique_id":"u","file_size":%d,"file_path":"files/%s"}}`,
			fields["file_id"], len(data), fields["file_id"]))
	case "sendMessage":
		f.sent = append(f.sent, fields)
		reply(w, 200, fmt.Sprintf(`{"ok":true,"result":{"message_id":900,"date":1796112000,"chat":{"id":%s,"type":"private"},"text":%q}}`,
			fields["chat_id"], fields["text"]))
	case "setWebhook":
		f.webhooks = append(f.webhooks, fields)
		reply(w, 200, `{"ok":true,"result":true,"description":"Webhook was set"}`)
		f.hooked <- struct{}{}
	case "getWebhookInfo":
		reply(w, 200, fmt.Sprintf(`{"ok":true,"result":{"url":%q,"has_custom_certificate":false,"pending_update_count":3}}`, f.webhookURL))
	case "deleteWebhook":
		f.deleted++
		f.webhookURL = ""
		reply(w, 200, `{"ok":true,"result":true,"description":"Webhook was deleted"}`)
	default:
		f.t.Errorf("unexpected method %s", method)
		reply(w, 404, `{"ok":false,"error_code":404,"description":"Not Found: method not found"}`)
	}
}

func reply(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

func (f *fakeAPI) queue(raw ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, raw...)
}

func (f *fakeAPI) file(id string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[id] = data
}

func (f *fakeAPI) sentMessages() []map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]string(nil), f.sent...)
}

func (f *fakeAPI) offsetsAsked() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int64(nil), f.offsets...)
}

// fixture reads testdata/name.
func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// recorder is a Receiver that keeps each (channel, message id) once, as
// the conversations' service does, and fails while fail says so.
type recorder struct {
	mu    sync.Mutex
	calls int
	got   []inbox.Inbound
	seen  map[string]bool
	fail  func(inbox.Inbound) error
}

func (r *recorder) Receive(_ context.Context, in inbox.Inbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.fail != nil {
		if err := r.fail(in); err != nil {
			return err
		}
	}
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if key := in.Channel + "\x00" + in.MessageID; !r.seen[key] {
		r.seen[key] = true
		r.got = append(r.got, in)
	}
	return nil
}

func (r *recorder) messages() []inbox.Inbound {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]inbox.Inbound(nil), r.got...)
}

// noSleep stands in for the backoff's waits.
func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }
