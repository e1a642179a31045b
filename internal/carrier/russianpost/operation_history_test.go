package russianpost

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

func FuzzDecodeHistory(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.xml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(200, b)
		f.Add(500, b)
	}
	f.Add(429, []byte("Too Many Requests"))
	f.Add(502, []byte("<html>Bad Gateway</html>"))
	f.Add(200, []byte(`<Envelope><Body><getOperationHistoryResponse><OperationHistoryData><historyRecord>`+
		`<OperationParameters><OperType><Id>8</Id></OperType><OperAttr><Id>2</Id></OperAttr>`+
		`<OperDate>2024-03-05T09:12:00+07:00</OperDate></OperationParameters></historyRecord>`+
		`</OperationHistoryData></getOperationHistoryResponse></Body></Envelope>`))

	h := http.Header{"Retry-After": {"30"}}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		events, err := decodeHistory("80097163905992", status, h, body, testNow)
		if err != nil && events != nil {
			t.Fatalf("events %+v with error %v", events, err)
		}
		for i, e := range events {
			if e.Status != "" && !e.Status.Valid() {
				t.Fatalf("event %d: invalid status %q", i, e.Status)
			}
			if e.TrackingNumber != "80097163905992" || e.Code == "" || e.At.IsZero() || len(e.Raw) == 0 {
				t.Fatalf("event %d incomplete: %+v", i, e)
			}
			if i > 0 && e.At.Before(events[i-1].At) {
				t.Fatalf("event %d older than the one before", i)
			}
		}
	})
}
