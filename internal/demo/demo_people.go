package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
)

// place is a town demo customers live in.
type place struct {
	name     string
	country  string
	timezone string
	weight   int
}

// flavour is a kind of customer: the language they speak, the names they
// have and where they live.
type flavour struct {
	lang     string
	male     []string
	female   []string
	surnames [][2]string // male and female forms
	places   []place
	domains  []string
}

var lvFirstMale = []string{"Jānis", "Andris", "Mārtiņš", "Kārlis", "Edgars", "Pēteris", "Artūrs", "Raimonds",
	"Gints", "Uldis", "Valdis", "Roberts", "Krišjānis", "Dāvis", "Oskars", "Ēriks", "Aigars", "Normunds"}

var lvFirstFemale = []string{"Anna", "Līga", "Ilze", "Inese", "Kristīne", "Laura", "Dace", "Sanita", "Zane",
	"Evija", "Baiba", "Māra", "Agnese", "Elīna", "Ieva", "Gunta", "Daiga", "Rūta"}

var lvSurnames = [][2]string{{"Bērziņš", "Bērziņa"}, {"Kalniņš", "Kalniņa"}, {"Ozoliņš", "Ozoliņa"},
	{"Jansons", "Jansone"}, {"Ozols", "Ozola"}, {"Liepiņš", "Liepiņa"}, {"Krūmiņš", "Krūmiņa"},
	{"Balodis", "Balode"}, {"Zariņš", "Zariņa"}, {"Pētersons", "Pētersone"}, {"Vītols", "Vītola"},
	{"Kļaviņš", "Kļaviņa"}, {"Zvirbulis", "Zvirbule"}, {"Lapiņš", "Lapiņa"}, {"Siliņš", "Siliņa"},
	{"Eglītis", "Eglīte"}, {"Šmits", "Šmite"}, {"Ķēniņš", "Ķēniņa"}, {"Žagars", "Žagare"}}

var ruFirstMale = []string{"Александр", "Дмитрий", "Сергей", "Андрей", "Алексей", "Максим", "Иван", "Михаил",
	"Никита", "Артём", "Павел", "Владимир", "Евгений", "Игорь", "Олег", "Юрий", "Константин", "Роман"}

var ruFirstFemale = []string{"Анна", "Елена", "Ольга", "Наталья", "Мария", "Екатерина", "Татьяна", "Ирина",
	"Светлана", "Юлия", "Анастасия", "Дарья", "Ксения", "Марина", "Виктория", "Людмила", "Алёна", "Полина"}

var ruSurnames = [][2]string{{"Иванов", "Иванова"}, {"Смирнов", "Смирнова"}, {"Кузнецов", "Кузнецова"},
	{"Попов", "Попова"}, {"Васильев", "Васильева"}, {"Петров", "Петрова"}, {"Соколов", "Соколова"},
	{"Михайлов", "Михайлова"}, {"Новиков", "Новикова"}, {"Фёдоров", "Фёдорова"}, {"Морозов", "Морозова"},
	{"Волков", "Волкова"}, {"Алексеев", "Алексеева"}, {"Лебедев", "Лебедева"}, {"Семёнов", "Семёнова"},
	{"Егоров", "Егорова"}, {"Павлов", "Павлова"}, {"Козлов", "Козлова"}, {"Белов", "Белова"}}

var enFirstMale = []string{"James", "Oliver", "Harry", "Jack", "George", "Thomas", "William", "Daniel",
	"Samuel", "Henry", "Michael", "David"}

var enFirstFemale = []string{"Emily", "Olivia", "Amelia", "Sophie", "Charlotte", "Grace", "Lucy", "Hannah",
	"Emma", "Chloe", "Sarah", "Rachel"}

var enSurnames = [][2]string{{"Smith", "Smith"}, {"Jones", "Jones"}, {"Taylor", "Taylor"}, {"Brown", "Brown"},
	{"Williams", "Williams"}, {"Wilson", "Wilson"}, {"Johnson", "Johnson"}, {"Davies", "Davies"},
	{"Robinson", "Robinson"}, {"Wright", "Wright"}, {"Thompson", "Thompson"}, {"Evans", "Evans"},
	{"Walker", "Walker"}, {"Murphy", "Murphy"}, {"O'Brien", "O'Brien"}, {"Green", "Green"}}

var lvPlaces = []place{
	{"Rīga", "LV", "Europe/Riga", 50}, {"Daugavpils", "LV", "Europe/Riga", 7}, {"Liepāja", "LV", "Europe/Riga", 6},
	{"Jelgava", "LV", "Europe/Riga", 5}, {"Jūrmala", "LV", "Europe/Riga", 5}, {"Ventspils", "LV", "Europe/Riga", 3},
	{"Rēzekne", "LV", "Europe/Riga", 3}, {"Valmiera", "LV", "Europe/Riga", 3}, {"Ogre", "LV", "Europe/Riga", 3},
	{"Cēsis", "LV", "Europe/Riga", 2}, {"Sigulda", "LV", "Europe/Riga", 2}, {"Tukums", "LV", "Europe/Riga", 2},
}

// ruLVPlaces are where Latvia's Russian speakers mostly live.
var ruLVPlaces = []place{
	{"Rīga", "LV", "Europe/Riga", 60}, {"Daugavpils", "LV", "Europe/Riga", 15}, {"Jūrmala", "LV", "Europe/Riga", 6},
	{"Rēzekne", "LV", "Europe/Riga", 5}, {"Liepāja", "LV", "Europe/Riga", 4}, {"Jelgava", "LV", "Europe/Riga", 3},
}

var ruPlaces = []place{
	{"Москва", "RU", "Europe/Moscow", 35}, {"Санкт-Петербург", "RU", "Europe/Moscow", 18},
	{"Казань", "RU", "Europe/Moscow", 5}, {"Нижний Новгород", "RU", "Europe/Moscow", 4},
	{"Краснодар", "RU", "Europe/Moscow", 4}, {"Екатеринбург", "RU", "Asia/Yekaterinburg", 6},
	{"Пермь", "RU", "Asia/Yekaterinburg", 3}, {"Самара", "RU", "Europe/Samara", 4},
	{"Новосибирск", "RU", "Asia/Novosibirsk", 5}, {"Калининград", "RU", "Europe/Kaliningrad", 3},
	{"Владивосток", "RU", "Asia/Vladivostok", 2}, {"Тверь", "RU", "Europe/Moscow", 2},
}

// abroadPlaces are where the English-speaking customers of a Baltic shop
// live.
var abroadPlaces = []place{
	{"London", "GB", "Europe/London", 20}, {"Manchester", "GB", "Europe/London", 6}, {"Dublin", "IE", "Europe/Dublin", 12},
	{"Cork", "IE", "Europe/Dublin", 3}, {"Berlin", "DE", "Europe/Berlin", 8}, {"Hamburg", "DE", "Europe/Berlin", 4},
	{"Tallinn", "EE", "Europe/Tallinn", 12}, {"Tartu", "EE", "Europe/Tallinn", 4}, {"Vilnius", "LT", "Europe/Vilnius", 12},
	{"Kaunas", "LT", "Europe/Vilnius", 5},
}

var gbPlaces = []place{
	{"London", "GB", "Europe/London", 40}, {"Manchester", "GB", "Europe/London", 10}, {"Bristol", "GB", "Europe/London", 6},
	{"Edinburgh", "GB", "Europe/London", 6}, {"Leeds", "GB", "Europe/London", 5}, {"Brighton", "GB", "Europe/London", 4},
}

// expatPlaces are where English speakers in Russia live.
var expatPlaces = []place{
	{"Москва", "RU", "Europe/Moscow", 70}, {"Санкт-Петербург", "RU", "Europe/Moscow", 30},
}

var (
	lvDomains = []string{"inbox.example", "apollo.example", "gmail.example", "tvnet.example"}
	ruDomains = []string{"yandex.example", "mail.example", "gmail.example", "rambler.example"}
	enDomains = []string{"gmail.example", "outlook.example", "icloud.example", "yahoo.example"}
)

var (
	lvLV     = &flavour{lang: "lv", male: lvFirstMale, female: lvFirstFemale, surnames: lvSurnames, places: lvPlaces, domains: lvDomains}
	ruLV     = &flavour{lang: "ru", male: ruFirstMale, female: ruFirstFemale, surnames: ruSurnames, places: ruLVPlaces, domains: append([]string{"inbox.example"}, ruDomains...)}
	ruRU     = &flavour{lang: "ru", male: ruFirstMale, female: ruFirstFemale, surnames: ruSurnames, places: ruPlaces, domains: ruDomains}
	enAbroad = &flavour{lang: "en", male: enFirstMale, female: enFirstFemale, surnames: enSurnames, places: abroadPlaces, domains: enDomains}
	enRU     = &flavour{lang: "en", male: enFirstMale, female: enFirstFemale, surnames: enSurnames, places: expatPlaces, domains: enDomains}
	enGB     = &flavour{lang: "en", male: enFirstMale, female: enFirstFemale, surnames: enSurnames, places: gbPlaces, domains: enDomains}
)

// weighted is a choice with its weight.
type weighted[T any] struct {
	v T
	w int
}

// pick chooses one of the choices in proportion to the weights.
func pick[T any](rnd *rand.Rand, choices []weighted[T]) T {
	total := 0
	for _, c := range choices {
		total += c.w
	}
	n := rnd.IntN(total)
	for _, c := range choices {
		if n < c.w {
			return c.v
		}
		n -= c.w
	}
	return choices[len(choices)-1].v
}

func pickPlace(rnd *rand.Rand, places []place) place {
	choices := make([]weighted[place], len(places))
	for i, p := range places {
		choices[i] = weighted[place]{p, p.weight}
	}
	return pick(rnd, choices)
}

func one[T any](rnd *rand.Rand, s []T) T { return s[rnd.IntN(len(s))] }

// flavourMix says who a shop's customers are: a Latvian shop sells to
// Latvians, to Latvia's Russian speakers and to English speakers around
// the Baltic; a Russian shop to Russians and a few English speakers; any
// other shop to speakers of its languages.
func flavourMix(s config.Settings) []weighted[*flavour] {
	switch s.Shop.Country {
	case "LV":
		return []weighted[*flavour]{{lvLV, 50}, {ruLV, 35}, {enAbroad, 15}}
	case "RU":
		return []weighted[*flavour]{{ruRU, 85}, {enRU, 15}}
	}
	var mix []weighted[*flavour]
	for i, lang := range s.Shop.Languages {
		w := 60
		if i > 0 {
			w = 40 / (len(s.Shop.Languages) - 1)
		}
		switch lang {
		case "lv":
			mix = append(mix, weighted[*flavour]{lvLV, w})
		case "ru":
			mix = append(mix, weighted[*flavour]{ruRU, w})
		case "en":
			mix = append(mix, weighted[*flavour]{enGB, w})
		}
	}
	if len(mix) == 0 {
		mix = []weighted[*flavour]{{enGB, 1}}
	}
	return mix
}

// person is a generated customer with the habits their orders share.
type person struct {
	in      customer.Input
	address string
	carrier string
	payment string
	channel string // how they found the shop
	flavour *flavour
	female  bool
	basket  int // how much they tend to buy: an index of baskets
}

// people makes customers for one shop.
type people struct {
	settings config.Settings
	rnd      *rand.Rand
	mix      []weighted[*flavour]
	emails   map[string]bool
}

func newPeople(s config.Settings, rnd *rand.Rand) *people {
	return &people{settings: s, rnd: rnd, mix: flavourMix(s), emails: map[string]bool{}}
}

// marketingPercent is the share of the demo's customers who agree to the
// shop's newsletter with their order.
const marketingPercent = 45

// customerID is the shop's id of its n-th customer.
func customerID(n int) string { return fmt.Sprintf("C%05d", n) }

// person makes the shop's n-th customer.
func (g *people) person(n int) person {
	rnd := g.rnd
	f := pick(rnd, g.mix)
	p := person{flavour: f, female: rnd.IntN(100) < 58}
	first, last := one(rnd, f.male), one(rnd, f.surnames)[0]
	if p.female {
		first, last = one(rnd, f.female), one(rnd, f.surnames)[1]
	}
	at := pickPlace(rnd, f.places)
	p.in = customer.Input{ExternalID: customerID(n), Name: first + " " + last, Language: f.lang,
		Country: at.country, City: at.name, Timezone: at.timezone}
	hasPhone := rnd.IntN(100) < 85
	if !hasPhone || rnd.IntN(100) < 95 {
		p.in.Email = g.email(first, last, f)
	}
	if hasPhone {
		p.in.Phone = phone(rnd, at.country)
		if rnd.IntN(100) < 35 {
			p.in.Consent = []string{"sms"}
		}
	}
	// Some tick the newsletter box at checkout (not drawn from rnd: the
	// rest of the demo's data stays as it was).
	if p.in.Email != "" && n%100 < marketingPercent {
		p.in.Consent = append(p.in.Consent, "marketing_email")
	}
	if rnd.IntN(100) < 15 {
		p.in.TelegramChatID = fmt.Sprint(100_000_000 + rnd.Int64N(6_000_000_000))
	}
	if day, told := birthday(n); told {
		p.in.Birthday = day
	}
	p.address = address(rnd, at)
	p.carrier = g.carrier(at.country)
	p.payment = g.payment()
	p.channel = g.channel()
	p.basket = pick(rnd, []weighted[int]{{0, 55}, {1, 30}, {2, 15}})
	return p
}

// email makes an address nobody else has, under a reserved domain.
func (g *people) email(first, last string, f *flavour) string {
	rnd := g.rnd
	a, b := latin(first), latin(last)
	var local string
	switch rnd.IntN(6) {
	case 0:
		local = a + "." + b
	case 1:
		local = a + b
	case 2:
		local = a + "_" + b
	case 3:
		local = a[:1] + "." + b
	case 4:
		local = b + "." + a
	default:
		local = fmt.Sprintf("%s%02d", a, (60+rnd.IntN(46))%100) // a year of birth
	}
	domain := one(rnd, f.domains)
	addr := local + "@" + domain
	for g.emails[addr] {
		addr = fmt.Sprintf("%s%d@%s", local, 1+rnd.IntN(999), domain)
	}
	g.emails[addr] = true
	return addr
}

// carrier picks how a customer in country likes to get parcels.
func (g *people) carrier(country string) string {
	home := country == g.settings.Shop.Country
	var choices []weighted[string]
	for i, c := range g.settings.Carriers {
		w := carrierWeight(c.Code, home, country)
		if w < 0 { // a carrier the demo does not know: the first is the usual one
			w = 10
			if i == 0 {
				w = 30
			}
		}
		if w > 0 {
			choices = append(choices, weighted[string]{c.Code, w})
		}
	}
	switch {
	case len(choices) > 0:
	case len(g.settings.Carriers) == 0:
		return "" // a shop that names no carrier
	default:
		return g.settings.Carriers[0].Code
	}
	return pick(g.rnd, choices)
}

// carrierWeight is how often the demo shops' carriers are chosen; -1 for
// a carrier of a shop of the user's own.
func carrierWeight(code string, home bool, country string) int {
	switch code {
	case "omniva":
		if home {
			return 55
		}
		if country == "EE" || country == "LT" {
			return 40
		}
		return 0
	case "dpd":
		if home {
			return 25
		}
		return 40
	case "pasts":
		return 20
	case "cdek":
		return 45
	case "courier":
		return 35
	case "post":
		return 20
	}
	return -1
}

func (g *people) payment() string {
	cod := 15
	if g.settings.Shop.Country == "RU" {
		cod = 40
	}
	if g.rnd.IntN(100) < cod {
		return "cod"
	}
	return "prepaid"
}

// acquisition channels and how often each brings a customer.
func (g *people) channel() string {
	yandex := 3
	if g.settings.Shop.Country == "RU" {
		yandex = 22
	}
	return pick(g.rnd, []weighted[string]{{"instagram", 28}, {"google", 24}, {"yandex", yandex},
		{"facebook", 12}, {"direct", 15}, {"referral", 8}})
}

// phone makes a mobile number of the country, one the phone-number
// library takes as valid and as the country's (not Guernsey's for a
// British one); "" for a country it has no pattern for.
func phone(rnd *rand.Rand, country string) string {
	for range 50 {
		p := mobile(rnd, country)
		if p == "" {
			return ""
		}
		n, err := phonenumbers.Parse(p, country)
		if err == nil && phonenumbers.IsValidNumber(n) && phonenumbers.GetRegionCodeForNumber(n) == country {
			return p
		}
	}
	return ""
}

// mobile makes a number shaped like a mobile number of the country.
func mobile(rnd *rand.Rand, country string) string {
	digits := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(byte('0' + rnd.IntN(10)))
		}
		return b.String()
	}
	switch country {
	case "LV":
		return "+371 2" + digits(3) + " " + digits(4)
	case "RU":
		code := one(rnd, []string{"903", "905", "909", "915", "916", "917", "921", "925", "926", "977", "985", "999"})
		return "+7 " + code + " " + digits(3) + "-" + digits(2) + "-" + digits(2)
	case "GB":
		return "+44 79" + digits(2) + " " + digits(6)
	case "IE":
		return "+353 8" + one(rnd, []string{"3", "5", "6", "7", "9"}) + " " + digits(3) + " " + digits(4)
	case "DE":
		return "+49 " + one(rnd, []string{"151", "176"}) + " " + digits(8)
	case "EE":
		return "+372 5" + digits(3) + " " + digits(4)
	case "LT":
		return "+370 6" + digits(2) + " " + digits(5)
	}
	return ""
}

var (
	lvStreets = []string{"Brīvības iela", "Elizabetes iela", "Krišjāņa Barona iela", "Lāčplēša iela", "Tērbatas iela",
		"Rīgas iela", "Skolas iela", "Dzirnavu iela", "Pils iela", "Ganību dambis", "Lielā iela", "Zaļā iela"}
	ruStreets = []string{"ул. Ленина", "ул. Гагарина", "Садовая ул.", "пр. Мира", "ул. Пушкина", "Лесная ул.",
		"ул. Советская", "Центральная ул.", "Молодёжная ул.", "Набережная ул."}
	enStreets = []string{"High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Mill Lane",
		"Green Lane", "King Street"}
	deStreets = []string{"Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Bergstraße"}
	eeStreets = []string{"Pärnu mnt", "Narva mnt", "Tartu mnt", "Lai tn", "Vabaduse pst"}
	ltStreets = []string{"Gedimino pr.", "Vilniaus g.", "Laisvės al.", "Savanorių pr.", "Pilies g."}
)

// address makes a delivery address in the place, written the local way.
func address(rnd *rand.Rand, at place) string {
	house, flat := 1+rnd.IntN(120), 1+rnd.IntN(90)
	switch at.country {
	case "LV":
		return fmt.Sprintf("%s %d-%d, %s, LV-%d", one(rnd, lvStreets), house, flat, at.name, 1001+rnd.IntN(4000))
	case "RU":
		return fmt.Sprintf("%s, д. %d, кв. %d, %s, %d", one(rnd, ruStreets), house, flat, at.name, 101000+rnd.IntN(590000))
	case "DE":
		return fmt.Sprintf("%s %d, %05d %s", one(rnd, deStreets), house, 10000+rnd.IntN(89999), at.name)
	case "EE":
		return fmt.Sprintf("%s %d-%d, %s", one(rnd, eeStreets), house, flat, at.name)
	case "LT":
		return fmt.Sprintf("%s %d-%d, %s", one(rnd, ltStreets), house, flat, at.name)
	}
	return fmt.Sprintf("%d %s, %s", house, one(rnd, enStreets), at.name)
}

var latinLetters = map[rune]string{
	'ā': "a", 'č': "c", 'ē': "e", 'ģ': "g", 'ī': "i", 'ķ': "k", 'ļ': "l", 'ņ': "n", 'š': "s", 'ū': "u", 'ž': "z",
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "y",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
}

// latin writes a name as the local part of an e-mail address: lower case,
// Latvian letters without their marks, Cyrillic transliterated.
func latin(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case 'a' <= r && r <= 'z':
			b.WriteRune(r)
		case latinLetters[r] != "":
			b.WriteString(latinLetters[r])
		}
	}
	if b.Len() == 0 {
		return "customer"
	}
	return b.String()
}
