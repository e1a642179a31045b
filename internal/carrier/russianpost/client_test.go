package russianpost

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/clock"
)

const (
	testLogin    = "shop_login"
	testPassword = "p&ss<word>"
)

// sentRequest is the getOperationHistory envelope as the service reads it.
type sentRequest struct {
	XMLName xml.Name `xml:"http://www.w3.org/2003/05/soap-envelope Envelope"`
	Body    struct {
		Call struct {
			Request struct {
				Barcode     string `xml:"http://russianpost.org/operationhistory/data Barcode"`
				MessageType string `xml:"http://russianpost.org/operationhistory/data MessageType"`
				Language    string `xml:"http://russianpost.org/operationhistory/data Language"`
			} `xml:"http://russianpost.org/operationhistory/data OperationHistoryRequest"`
			Auth struct {
				MustUnderstand string `xml:"http://schemas.xmlsoap.org/soap/envelope/ mustUnderstand,attr"`
				Login          string `xml:"http://russianpost.org/operationhistory/data login"`
				Password       string `xml:"http://russianpost.org/operationhistory/data password"`
			} `xml:"http://russianpost.org/operationhistory/data AuthorizationHeader"`
		} `xml:"http://russianpost.org/operationhistory getOperationHistory"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Body"`
}

// answer is what the fake service says to one barcode.
type answer struct {
	status int
	file   string // in testdata
	body   string // when no file
	header http.Header
}

// fakeService answers as the tracking service does, checking every
// request the adapter sends.
type fakeService struct {
	t       *testing.T
	answers map[string]answer // by barcode

	mu       sync.Mutex
	barcodes []string
}

func newService(t *testing.T, answers map[string]answer) (*fakeService, *httptest.Server) {
	t.Helper()
	f := &fakeService{t: t, answers: answers}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := f.t
	if r.Method != http.MethodPost || r.URL.Path != "/rtm34" || r.URL.RawQuery != "" {
		t.Errorf("request %s %s, want POST /rtm34", r.Method, r.URL)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/soap+xml; charset=utf-8") ||
		!strings.Contains(ct, `action="getOperationHistory"`) {
		t.Errorf("Content-Type %q, want SOAP 1.2 with action getOperationHistory", ct)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Errorf("read request: %v", err)
	}
	var req sentRequest
	if err := xml.Unmarshal(body, &req); err != nil {
		t.Errorf("request is not a getOperationHistory envelope: %v\n%s", err, body)
	}
	call := req.Body.Call
	if call.Request.MessageType != "0" || call.Request.Language != "RUS" {
		t.Errorf("MessageType %q Language %q, want 0 RUS", call.Request.MessageType, call.Request.Language)
	}
	if call.Auth.Login != testLogin || call.Auth.Password != testPassword || call.Auth.MustUnderstand != "1" {
		t.Errorf("AuthorizationHeader %+v, want the shop's login and password, mustUnderstand 1", call.Auth)
	}
	f.mu.Lock()
	f.barcodes = append(f.barcodes, call.Request.Barcode)
	f.mu.Unlock()

	a, ok := f.answers[call.Request.Barcode]
	if !ok {
		a = answer{file: "unknown.xml"}
	}
	for k, v := range a.header {
		w.Header()[k] = v
	}
	b := []byte(a.body)
	if a.file != "" {
		b = readTestdata(t, a.file)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	}
	if a.status == 0 {
		a.status = http.StatusOK
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(b)
}

func (f *fakeService) asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.barcodes...)
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var testNow = time.Date(2024, 3, 7, 12, 0, 0, 0, time.UTC)

func newTestClient(srv *httptest.Server) *Client {
	return New(carrier.Options{
		URL:      srv.URL + "/rtm34",
		Login:    testLogin,
		Password: testPassword,
		HTTP:     srv.Client(),
		Clock:    clock.NewFake(testNow),
	})
}

type wantEvent struct {
	status   carrier.Status
	code     string
	desc     string
	location string
	at       string // RFC 3339, with the zone the service gave
}

func checkEvents(t *testing.T, got []carrier.Event, number string, want []wantEvent) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		e := got[i]
		if e.TrackingNumber != number || e.Status != w.status || e.Code != w.code ||
			e.Description != w.desc || e.Location != w.location || e.At.Format(time.RFC3339) != w.at {
			t.Errorf("event %d = {%s %q %s %q %q %s}, want {%s %q %s %q %q %s}", i,
				e.TrackingNumber, e.Status, e.Code, e.Description, e.Location, e.At.Format(time.RFC3339),
				number, w.status, w.code, w.desc, w.location, w.at)
		}
		if !json.Valid(e.Raw) {
			t.Errorf("event %d Raw is not JSON: %s", i, e.Raw)
		}
	}
}

func TestTrackJourneyToPickupAndDelivery(t *testing.T) {
	t.Parallel()
	const number = "80097163905992"
	svc, srv := newService(t, map[string]answer{number: {file: "journey.xml"}})

	got, err := newTestClient(srv).Track(context.Background(), []string{number})
	if err != nil {
		t.Fatal(err)
	}
	checkEvents(t, got, number, []wantEvent{
		{carrier.Accepted, "1.1", "Прием: Единичный", "111555, Москва 555", "2024-03-01T10:15:00+03:00"},
		{carrier.InTransit, "8.1", "Обработка: Покинуло место приёма", "111555, Москва 555", "2024-03-01T19:40:00+03:00"},
		{carrier.InTransit, "8.3", "Обработка: Прибыло в сортировочный центр", "140961, Московский АСЦ Цех логистики", "2024-03-02T01:05:00+03:00"},
		{carrier.InTransit, "8.4", "Обработка: Покинуло сортировочный центр", "140961, Московский АСЦ Цех логистики", "2024-03-02T06:30:00+03:00"},
		{carrier.InTransit, "8.3", "Обработка: Прибыло в сортировочный центр", "630960, Новосибирский МСЦ", "2024-03-04T22:10:00+07:00"},
		{carrier.ArrivedAtPickup, "8.2", "Обработка: Прибыло в место вручения", "630099, Новосибирск 99", "2024-03-05T09:12:00+07:00"},
		{"", "8.24", "Обработка: Направлено извещение", "630099, Новосибирск 99", "2024-03-05T09:40:00+07:00"},
		{carrier.Delivered, "2.1", "Вручение: Вручение адресату", "630099, Новосибирск 99", "2024-03-06T17:03:00+07:00"},
	})
	if a := svc.asked(); len(a) != 1 || a[0] != number {
		t.Errorf("asked for %v, want [%s]", a, number)
	}

	var raw struct {
		ItemParameters      struct{ Barcode, Mass string }
		OperationParameters struct {
			OperType struct {
				ID   string `json:"Id"`
				Name string
			}
			OperDate string
		}
		AddressParameters struct{ OperationAddress struct{ Index string } }
	}
	if err := json.Unmarshal(got[7].Raw, &raw); err != nil {
		t.Fatal(err)
	}
	if raw.ItemParameters.Barcode != number || raw.ItemParameters.Mass != "1240" ||
		raw.OperationParameters.OperType.ID != "2" || raw.OperationParameters.OperDate != "2024-03-06T17:03:00.000+07:00" ||
		raw.AddressParameters.OperationAddress.Index != "630099" {
		t.Errorf("Raw lost the record's fields: %s", got[7].Raw)
	}
}

func TestTrackReturnToSender(t *testing.T) {
	t.Parallel()
	const number = "80097163905993"
	_, srv := newService(t, map[string]answer{number: {file: "return.xml"}})

	got, err := newTestClient(srv).Track(context.Background(), []string{number})
	if err != nil {
		t.Fatal(err)
	}
	checkEvents(t, got, number, []wantEvent{
		{carrier.Accepted, "1.1", "Прием: Единичный", "111555, Москва 555", "2024-03-01T10:15:00+03:00"},
		{carrier.ArrivedAtPickup, "8.2", "Обработка: Прибыло в место вручения", "630099, Новосибирск 99", "2024-03-05T09:12:00+07:00"},
		{carrier.FailedAttempt, "12.1", "Неудачная попытка вручения: Временное отсутствие адресата", "630099, Новосибирск 99", "2024-03-05T15:00:00+07:00"},
		{carrier.Returning, "3.1", "Возврат: Истек срок хранения", "630099, Новосибирск 99", "2024-04-05T10:00:00+07:00"},
		{carrier.ArrivedAtPickup, "8.2", "Обработка: Прибыло в место вручения", "111555, Москва 555", "2024-04-12T11:20:00+03:00"},
		{carrier.Returned, "2.2", "Вручение: Вручение отправителю", "111555, Москва 555", "2024-04-13T12:00:00+03:00"},
	})
}

func TestTrackInternationalThroughCustomsToLocker(t *testing.T) {
	t.Parallel()
	const number = "RA644000001RU"
	_, srv := newService(t, map[string]answer{number: {file: "international.xml"}})

	got, err := newTestClient(srv).Track(context.Background(), []string{number})
	if err != nil {
		t.Fatal(err)
	}
	checkEvents(t, got, number, []wantEvent{
		{carrier.Accepted, "1.1", "Прием: Единичный", "Китай", "2024-02-20T08:00:00+08:00"},
		{carrier.InTransit, "10", "Экспорт международной почты", "Китай", "2024-02-22T03:00:00+08:00"},
		{carrier.InTransit, "9", "Импорт международной почты", "102976, Москва PCI-2", "2024-02-27T11:00:00+03:00"},
		{carrier.Customs, "11", "Прием на таможню", "102976, Москва PCI-2", "2024-02-27T12:00:00+03:00"},
		{carrier.Customs, "14.1", "Таможенное оформление: Выпущено таможней", "102976, Москва PCI-2", "2024-02-27T18:00:00+03:00"},
		{carrier.ArrivedAtPickup, "8.9", "Обработка: Прибыло в почтомат", "101000, Москва Почтомат 1", "2024-03-01T10:00:00+03:00"},
		{carrier.Delivered, "2.3", "Вручение: Выдано адресату через почтомат", "101000, Москва Почтомат 1", "2024-03-01T19:30:00+03:00"},
	})
}

func TestTrackSeveralNumbersOneRequestEach(t *testing.T) {
	t.Parallel()
	svc, srv := newService(t, map[string]answer{
		"80097163905992": {file: "journey.xml"},
		"80097163905993": {file: "return.xml"},
	})
	c := newTestClient(srv)
	if c.BatchSize() != 1 {
		t.Fatalf("BatchSize %d, want 1: getOperationHistory takes one barcode", c.BatchSize())
	}

	got, err := c.Track(context.Background(), []string{"80097163905992", "8009 7163 905993", "ra644000001ru"})
	if err != nil {
		t.Fatal(err)
	}
	perNumber := map[string]int{}
	for _, e := range got {
		perNumber[e.TrackingNumber]++
	}
	if perNumber["80097163905992"] != 8 || perNumber["8009 7163 905993"] != 6 || len(perNumber) != 2 {
		t.Errorf("events per number %v, want 8 and 6, under the numbers as given", perNumber)
	}
	want := []string{"80097163905992", "80097163905993", "RA644000001RU"}
	if a := svc.asked(); strings.Join(a, " ") != strings.Join(want, " ") {
		t.Errorf("asked for %v, want one request each for %v", a, want)
	}
}

func TestTrackUnknownNumbers(t *testing.T) {
	t.Parallel()
	svc, srv := newService(t, map[string]answer{
		"80097100000000": {file: "unknown.xml"},
		"RA000000000RU":  {status: http.StatusInternalServerError, file: "fault_format.xml"},
	})

	got, err := newTestClient(srv).Track(context.Background(),
		[]string{"80097100000000", "RA000000000RU", "not-a-barcode", "", "123"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("events %+v, want none", got)
	}
	if a := svc.asked(); len(a) != 2 {
		t.Errorf("asked for %v, want only the two numbers in a documented format", a)
	}
}

func TestTrackErrors(t *testing.T) {
	t.Parallel()
	const number = "80097163905992"
	tests := []struct {
		name  string
		a     answer
		check func(t *testing.T, err error)
	}{
		{"bad credentials", answer{status: 500, file: "fault_authorization.xml"}, func(t *testing.T, err error) {
			if !errors.Is(err, carrier.ErrUnauthorized) || !strings.Contains(err.Error(), "Неверный логин или пароль") {
				t.Errorf("error %v, want ErrUnauthorized with the service's words", err)
			}
		}},
		{"daily quota spent", answer{status: 500, file: "fault_quota.xml"}, func(t *testing.T, err error) {
			var rl *carrier.RateLimitError
			if !errors.As(err, &rl) || rl.RetryAfter != 0 || errors.Is(err, carrier.ErrUnauthorized) {
				t.Errorf("error %v, want a RateLimitError without Retry-After", err)
			}
		}},
		{"429 with Retry-After seconds", answer{status: 429, body: "Too Many Requests",
			header: http.Header{"Retry-After": {"120"}}}, func(t *testing.T, err error) {
			var rl *carrier.RateLimitError
			if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Minute || rl.Carrier != "russianpost" {
				t.Errorf("error %v, want a RateLimitError to retry after 2m", err)
			}
		}},
		{"quota fault with Retry-After date", answer{status: 500, file: "fault_quota.xml",
			header: http.Header{"Retry-After": {testNow.Add(time.Hour).Format(http.TimeFormat)}}}, func(t *testing.T, err error) {
			var rl *carrier.RateLimitError
			if !errors.As(err, &rl) || rl.RetryAfter != time.Hour {
				t.Errorf("error %v, want a RateLimitError to retry after 1h", err)
			}
		}},
		{"operation history fault", answer{status: 500, file: "fault_history.xml"}, func(t *testing.T, err error) {
			var ae *carrier.APIError
			if !errors.As(err, &ae) || ae.Status != 500 || ae.Code != "OperationHistoryFault" ||
				ae.Message != "Ошибка получения информации об отправлении: Внутренняя ошибка работы Сервиса отслеживания" {
				t.Errorf("error %v, want an APIError OperationHistoryFault", err)
			}
		}},
		{"language fault", answer{status: 500, file: "fault_language.xml"}, func(t *testing.T, err error) {
			var ae *carrier.APIError
			if !errors.As(err, &ae) || ae.Code != "LanguageFault" || !strings.Contains(ae.Message, "Недопустимый идентификатор языка") {
				t.Errorf("error %v, want an APIError LanguageFault", err)
			}
		}},
		{"fault without detail", answer{status: 500, body: `<S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body><S:Fault>` +
			`<S:Code><S:Value>S:Sender</S:Value></S:Code><S:Reason><S:Text xml:lang="en">Cannot find dispatch method</S:Text></S:Reason>` +
			`</S:Fault></S:Body></S:Envelope>`}, func(t *testing.T, err error) {
			var ae *carrier.APIError
			if !errors.As(err, &ae) || ae.Code != "S:Sender" || ae.Message != "Cannot find dispatch method" {
				t.Errorf("error %v, want an APIError with the fault's code and reason", err)
			}
		}},
		{"gateway error page", answer{status: 502, body: "<html><body>502 Bad Gateway</body></html>",
			header: http.Header{"Content-Type": {"text/html"}}}, func(t *testing.T, err error) {
			var ae *carrier.APIError
			if !errors.As(err, &ae) || ae.Status != 502 || !strings.Contains(ae.Message, "502 Bad Gateway") {
				t.Errorf("error %v, want an APIError 502", err)
			}
		}},
		{"gateway refuses credentials", answer{status: 401, body: "Unauthorized"}, func(t *testing.T, err error) {
			if !errors.Is(err, carrier.ErrUnauthorized) {
				t.Errorf("error %v, want ErrUnauthorized", err)
			}
		}},
		{"malformed body", answer{status: 200, body: "<S:Envelope><S:Body><ns7:getOperationHistoryResponse>"}, func(t *testing.T, err error) {
			var ae *carrier.APIError
			if err == nil || errors.As(err, &ae) || !strings.Contains(err.Error(), "read answer") {
				t.Errorf("error %v, want a clear malformed-answer error", err)
			}
		}},
		{"answer without history", answer{status: 200, body: `<S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body/></S:Envelope>`},
			func(t *testing.T, err error) {
				if err == nil || !strings.Contains(err.Error(), "no OperationHistoryData") {
					t.Errorf("error %v, want one naming the missing OperationHistoryData", err)
				}
			}},
		{"record with a bad date", answer{status: 200, body: strings.Replace(string(readTestdata(t, "journey.xml")),
			"2024-03-01T10:15:00.000+03:00", "01.03.2024 10:15", 1)}, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "OperDate") {
				t.Errorf("error %v, want one naming OperDate", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newService(t, map[string]answer{number: tt.a})
			got, err := newTestClient(srv).Track(context.Background(), []string{number})
			if got != nil {
				t.Errorf("events %+v with the error", got)
			}
			tt.check(t, err)
		})
	}
}

func TestTrackStopsAtFirstError(t *testing.T) {
	t.Parallel()
	svc, srv := newService(t, map[string]answer{
		"80097163905992": {status: 500, file: "fault_quota.xml"},
		"80097163905993": {file: "return.xml"},
	})
	_, err := newTestClient(srv).Track(context.Background(), []string{"80097163905992", "80097163905993"})
	var rl *carrier.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("error %v, want a RateLimitError", err)
	}
	if a := svc.asked(); len(a) != 1 {
		t.Errorf("asked for %v after the quota was spent, want no more requests", a)
	}
}

func TestTrackHonoursContext(t *testing.T) {
	t.Parallel()
	svc, srv := newService(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := newTestClient(srv).Track(ctx, []string{"80097163905992"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if a := svc.asked(); len(a) != 0 {
		t.Errorf("asked for %v with a cancelled context", a)
	}
}

func TestTrackCancelledInFlight(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		cancel() // the caller gives up while the service is thinking
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	_, err := newTestClient(srv).Track(ctx, []string{"80097163905992"})
	close(release)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestNewDefaultURL(t *testing.T) {
	t.Parallel()
	if c := New(carrier.Options{}); c.url != DefaultURL || DefaultURL != "https://tracking.russianpost.ru/rtm34" {
		t.Errorf("url %q, want the production service", c.url)
	}
}
