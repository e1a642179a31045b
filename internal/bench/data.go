package bench

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"time"
)

// The generated shop: customers in Russia and Latvia, three years of orders.
// Everything is derived from fixed seeds, so every run generates the same
// data.

// benchName is a name, male and female, and in Latin letters for e-mails.
type benchName struct{ male, female, maleLatin, femaleLatin string }

var (
	benchRuFirst = []benchName{
		{"Иван", "Анна", "ivan", "anna"}, {"Алексей", "Мария", "aleksey", "maria"},
		{"Дмитрий", "Елена", "dmitry", "elena"}, {"Сергей", "Ольга", "sergey", "olga"},
		{"Андрей", "Наталья", "andrey", "natalia"}, {"Михаил", "Татьяна", "mikhail", "tatiana"},
		{"Николай", "Ирина", "nikolay", "irina"}, {"Павел", "Светлана", "pavel", "svetlana"},
		{"Артём", "Юлия", "artem", "yulia"},
	}
	benchRuLast = []benchName{
		{"Иванов", "Иванова", "ivanov", "ivanova"}, {"Петров", "Петрова", "petrov", "petrova"},
		{"Смирнов", "Смирнова", "smirnov", "smirnova"}, {"Кузнецов", "Кузнецова", "kuznetsov", "kuznetsova"},
		{"Соколов", "Соколова", "sokolov", "sokolova"}, {"Попов", "Попова", "popov", "popova"},
		{"Волков", "Волкова", "volkov", "volkova"}, {"Морозов", "Морозова", "morozov", "morozova"},
		{"Фёдоров", "Фёдорова", "fedorov", "fedorova"},
	}
	benchLvFirst = []benchName{
		{"Jānis", "Ilze", "janis", "ilze"}, {"Andris", "Līga", "andris", "liga"},
		{"Mārtiņš", "Inese", "martins", "inese"}, {"Pēteris", "Kristīne", "peteris", "kristine"},
		{"Edgars", "Zane", "edgars", "zane"},
	}
	benchLvLast = []benchName{
		{"Bērziņš", "Bērziņa", "berzins", "berzina"}, {"Kalniņš", "Kalniņa", "kalnins", "kalnina"},
		{"Ozols", "Ozola", "ozols", "ozola"}, {"Liepiņš", "Liepiņa", "liepins", "liepina"},
		{"Krūmiņš", "Krūmiņa", "krumins", "krumina"},
	}
	benchRuDomains = []string{"mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru"}
	benchLvDomains = []string{"inbox.lv", "gmail.com", "apollo.lv"}
	// Mobile operator codes; every number under them is a valid Russian mobile.
	benchRuMobile = []int{903, 905, 906, 909, 915, 916, 917, 925, 926, 977, 985, 999}
)

// benchCity is a city and its UTC offset (fixed: the data is synthetic).
type benchCity struct {
	name string
	zone *time.Location
}

var (
	benchRuCities = []benchCity{
		{"Москва", time.FixedZone("", 3*3600)}, {"Санкт-Петербург", time.FixedZone("", 3*3600)},
		{"Казань", time.FixedZone("", 3*3600)}, {"Нижний Новгород", time.FixedZone("", 3*3600)},
		{"Краснодар", time.FixedZone("", 3*3600)}, {"Самара", time.FixedZone("", 4*3600)},
		{"Екатеринбург", time.FixedZone("", 5*3600)}, {"Новосибирск", time.FixedZone("", 7*3600)},
	}
	benchLvCities = []benchCity{
		{"Rīga", time.FixedZone("", 2*3600)}, {"Daugavpils", time.FixedZone("", 2*3600)},
		{"Liepāja", time.FixedZone("", 2*3600)}, {"Jelgava", time.FixedZone("", 2*3600)},
	}
)

// benchPerson is generated customer number k; the same k always gives the
// same person, so the CSV and the API load agree on who c-K is.
type benchPerson struct {
	ExternalID, Name, Email, Phone, Language, Country, City, Currency string
	Zone                                                              *time.Location
}

// splitmix64 scrambles x; it makes per-customer choices without a generator.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// benchPersonFor returns customer k (1-based, at most 10,000,000: phone
// numbers stay unique up to there).
func benchPersonFor(k int) benchPerson {
	h := uint64(k)
	pick := func(n int) int {
		h = splitmix64(h)
		return int(h % uint64(n))
	}
	female := pick(2) == 1
	fromLatvia := pick(100) < 20
	firsts, lasts, domains, cities := benchRuFirst, benchRuLast, benchRuDomains, benchRuCities
	p := benchPerson{ExternalID: "c-" + strconv.Itoa(k), Language: "ru", Country: "RU", Currency: "RUB"}
	if fromLatvia {
		p.Country, p.Currency, domains, cities = "LV", "EUR", benchLvDomains, benchLvCities
		if pick(2) == 0 { // the other half of Latvia's customers speaks Russian
			firsts, lasts, p.Language = benchLvFirst, benchLvLast, "lv"
		}
	}
	first, last := firsts[pick(len(firsts))], lasts[pick(len(lasts))]
	login := first.maleLatin + "." + last.maleLatin
	p.Name = first.male + " " + last.male
	if female {
		p.Name, login = first.female+" "+last.female, first.femaleLatin+"."+last.femaleLatin
	}
	city := cities[pick(len(cities))]
	p.City, p.Zone = city.name, city.zone
	p.Email = login + strconv.Itoa(k) + "@" + domains[pick(len(domains))]
	// A bijection of k below 10^7, so no two Russian customers share a number.
	sub := (uint64(k)*7919 + 1234567) % 10_000_000
	if fromLatvia {
		if sub >= 3_000_000 && sub < 3_400_000 { // +371 230–233 are not all in use; a rare shared number does no harm
			sub += 6_000_000
		}
		p.Phone = fmt.Sprintf("+371 2%07d", sub)
		return p
	}
	code := benchRuMobile[pick(len(benchRuMobile))]
	switch pick(3) { // the ways shops get Russian numbers written
	case 0:
		p.Phone = fmt.Sprintf("+7 %d %03d-%02d-%02d", code, sub/10000, sub/100%100, sub%100)
	case 1:
		p.Phone = fmt.Sprintf("8 (%d) %03d-%02d-%02d", code, sub/10000, sub/100%100, sub%100)
	default:
		p.Phone = fmt.Sprintf("+7%d%07d", code, sub)
	}
	return p
}

// benchMoney formats minor units with two decimals.
func benchMoney(minor int64) string {
	return fmt.Sprintf("%d.%02d", minor/100, minor%100)
}

// benchCSVHeader is the orders CSV's header row (README.md, Orders CSV).
var benchCSVHeader = []string{"order_id", "customer_id", "email", "phone", "name", "language", "country", "city",
	"created_at", "status", "total", "currency", "channel", "delivered_at", "promised_to"}

// benchOrders generates the rows of the orders CSV one at a time: order o-I
// is placed at the I-th step of three years; new customers join at an even
// pace, and the rest of the orders are repeat orders of customers already
// there. Most orders are delivered, some late; the last two weeks are still
// on their way.
type benchOrders struct {
	rng               *rand.Rand
	orders, customers int
	joined            int // customers c-1..c-joined have ordered
	start, end        time.Time
	step              time.Duration
}

func newBenchOrders(orders, customers int) *benchOrders {
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	span := 3 * 365 * 24 * time.Hour
	return &benchOrders{
		rng:    rand.New(rand.NewPCG(20230101, 1)),
		orders: orders, customers: customers,
		start: start, end: start.Add(span), step: span / time.Duration(orders),
	}
}

// row fills rec with order i (1-based).
func (g *benchOrders) row(i int, rec []string) {
	r := g.rng
	var k int
	if due := int(int64(i) * int64(g.customers) / int64(g.orders)); g.joined == 0 || (due > g.joined && g.joined < g.customers) {
		g.joined++
		k = g.joined
	} else {
		k = 1 + r.IntN(g.joined)
	}
	p := benchPersonFor(k)

	created := g.start.Add(time.Duration(i-1) * g.step)
	if g.step > 0 {
		created = created.Add(time.Duration(r.Int64N(int64(g.step))))
	}
	created = created.In(p.Zone).Truncate(time.Second)
	day := time.Date(created.Year(), created.Month(), created.Day(), 0, 0, 0, 0, p.Zone)
	promised := day.AddDate(0, 0, 3+r.IntN(3))

	var status, deliveredAt, promisedTo string
	switch n := r.IntN(100); {
	case created.After(g.end.Add(-14 * 24 * time.Hour)):
		status = []string{"new", "processing", "shipped"}[n%3]
		if status != "new" {
			promisedTo = promised.Format(time.DateOnly)
		}
	case n < 4:
		status = "cancelled"
	default:
		status = "delivered"
		if n < 7 {
			status = "returned"
		}
		promisedTo = promised.Format(time.DateOnly)
		at := promised.AddDate(0, 0, -r.IntN(3)) // on time
		if r.IntN(100) < 8 {
			at = promised.AddDate(0, 0, 1+r.IntN(4)) // late
		}
		at = at.Add(time.Duration(10+r.IntN(10))*time.Hour + time.Duration(r.IntN(60))*time.Minute)
		if !at.After(created) {
			at = created.Add(26 * time.Hour)
		}
		deliveredAt = at.Format(time.RFC3339)
	}

	total := 49000 + r.Int64N(2_500_000) // RUB 490.00..25,490.00
	if p.Currency == "EUR" {
		total = 500 + r.Int64N(40000)
	}
	channel := "web"
	if n := r.IntN(10); n >= 9 {
		channel = "phone"
	} else if n >= 7 {
		channel = "app"
	}

	rec[0], rec[1], rec[2], rec[3], rec[4] = "o-"+strconv.Itoa(i), p.ExternalID, p.Email, p.Phone, p.Name
	rec[5], rec[6], rec[7], rec[8], rec[9] = p.Language, p.Country, p.City, created.Format(time.RFC3339), status
	rec[10], rec[11], rec[12], rec[13], rec[14] = benchMoney(total), p.Currency, channel, deliveredAt, promisedTo
}

// writeBenchOrdersCSV writes the orders CSV to path, streaming (memory stays
// constant), and returns its size in bytes.
func writeBenchOrdersCSV(ctx context.Context, path string, orders, customers int) (size int64, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("create the orders CSV: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("write the orders CSV: %w", cerr)
		}
	}()
	buf := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(buf)
	if err := w.Write(benchCSVHeader); err != nil {
		return 0, fmt.Errorf("write the orders CSV: %w", err)
	}
	gen := newBenchOrders(orders, customers)
	rec := make([]string, len(benchCSVHeader))
	for i := 1; i <= orders; i++ {
		if i%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		gen.row(i, rec)
		if err := w.Write(rec); err != nil {
			return 0, fmt.Errorf("write the orders CSV: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return 0, fmt.Errorf("write the orders CSV: %w", err)
	}
	if err := buf.Flush(); err != nil {
		return 0, fmt.Errorf("write the orders CSV: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("write the orders CSV: %w", err)
	}
	return info.Size(), nil
}
