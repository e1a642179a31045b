package stock_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/shopcare/shopcare/internal/csvfile"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/storetest"
)

const stockCSV = "sku,on_hand,name,incoming_qty,incoming_date\n" +
	"POT-1,5,Кастрюля,,\n" +
	"PAN,0,Сковородка,10,2026-12-15\n" +
	"PAN,0,,4,20.12.2026\n" +
	",3,no sku,,\n" +
	"LID,-1,,,\n" +
	"PAN,7,,1,2026-12-30\n" +
	"CUP,1 000,,,\n" +
	"\n" +
	"BOWL,2,,5,\n"

// TestImportCSV: rows become levels (a SKU's further rows its further
// deliveries), bad rows go to the rejected file with line and reason,
// and importing the same file again changes nothing.
func TestImportCSV(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			s := newStockShop(t, engine)
			ctx := context.Background()
			var rejected bytes.Buffer
			res, err := s.app.Stock.ImportCSV(ctx, "csv", strings.NewReader(stockCSV), &rejected)
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != 8 || res.Rejected != 4 || res.Created != 3 {
				t.Errorf("result %+v", res)
			}
			for _, want := range []string{"line,reason,sku", "5,sku is empty", `6,"on_hand must be`, "7,on_hand 7 differs from 0 on line 3",
				`10,"incoming_date must be`} {
				if !strings.Contains(rejected.String(), want) {
					t.Errorf("rejected file lacks %q:\n%s", want, rejected.String())
				}
			}
			pan := s.level("PAN")
			if pan.Name != "Сковородка" || len(pan.Incoming) != 2 || pan.Incoming[1] != (stock.Incoming{Qty: 4, Date: "2026-12-20"}) {
				t.Errorf("PAN = %+v", pan)
			}
			if cup := s.level("CUP"); cup.OnHand != 1000 {
				t.Errorf("CUP = %+v", cup)
			}
			res, err = s.app.Stock.ImportCSV(ctx, "csv", strings.NewReader(stockCSV), nil)
			if err != nil || res.Unchanged != 3 || res.Created+res.Updated != 0 {
				t.Errorf("again: %+v %v", res, err)
			}
		})
	}
}

// TestImportCSVExcel reads a Russian Excel export: Windows-1251, ';'.
func TestImportCSVExcel(t *testing.T) {
	t.Parallel()
	s := newStockShop(t, "sqlite")
	text := "Артикул;Остаток;Название\r\nPOT-1;3;Кастрюля эмалированная большая\r\nPAN;12;Сковородка чугунная с крышкой\r\n"
	raw, err := charmap.Windows1251.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.app.Stock.ImportCSV(context.Background(), "csv", strings.NewReader(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Encoding != "windows-1251" || res.Created != 2 {
		t.Errorf("result %+v", res)
	}
	if l := s.level("POT-1"); l.Name != "Кастрюля эмалированная большая" || l.OnHand != 3 {
		t.Errorf("POT-1 = %+v", l)
	}
}

// FuzzParseCSV: any file either is refused whole with an error or gives
// levels that Put accepts, every row counted once.
func FuzzParseCSV(f *testing.F) {
	f.Add(stockCSV)
	f.Add("sku;on_hand\nA;1\nA;1\n")
	f.Add("\ufeffsku,on_hand,incoming_qty,incoming_date\nA,1,\"2\",2026-01-01\n\"B,2\n")
	f.Add("on_hand\n1\n")
	f.Add("sku,on_hand\nA\x00,1\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, file string) {
		levels, res, err := stock.ParseCSV(csvfile.Decoded{Reader: strings.NewReader(file), Delimiter: ','}, &bytes.Buffer{}, nil)
		if err != nil {
			return
		}
		if res.Rejected > res.Rows {
			t.Fatalf("%d rejected of %d rows", res.Rejected, res.Rows)
		}
		if _, err := stock.Validate(levels); err != nil {
			t.Fatalf("parsed levels are refused: %v", err)
		}
	})
}
