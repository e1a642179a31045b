package demo

import (
	"math/rand/v2"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// product is one thing the demo shop sells.
type product struct {
	sku  string
	name map[string]string // by language: lv, ru, en
	eur  int64             // price in euro cents
	rub  int64             // price in roubles
	// productionDays > 0: made to order (an engraved board).
	productionDays int
	popularity     int
	// pair is how many a customer takes when they take more than one.
	pair int64
}

// catalogue is a small kitchenware shop.
var catalogue = []product{
	{sku: "PAN-24", name: map[string]string{"lv": "Čuguna panna 24 cm", "ru": "Чугунная сковорода 24 см", "en": "Cast-iron frying pan 24 cm"}, eur: 3990, rub: 3490, popularity: 14},
	{sku: "PAN-28", name: map[string]string{"lv": "Pretpiedeguma panna 28 cm", "ru": "Сковорода с антипригарным покрытием 28 см", "en": "Non-stick frying pan 28 cm"}, eur: 3450, rub: 2990, popularity: 16},
	{sku: "GRILL-26", name: map[string]string{"lv": "Čuguna grila panna 26 cm", "ru": "Чугунная сковорода-гриль 26 см", "en": "Cast-iron grill pan 26 cm"}, eur: 4400, rub: 3790, popularity: 6},
	{sku: "WOK-30", name: map[string]string{"lv": "Oglekļa tērauda voks 30 cm", "ru": "Вок из углеродистой стали 30 см", "en": "Carbon-steel wok 30 cm"}, eur: 4500, rub: 3890, popularity: 7},
	{sku: "POT-3", name: map[string]string{"lv": "Nerūsējošā tērauda katls 3 l", "ru": "Кастрюля из нержавеющей стали 3 л", "en": "Stainless-steel pot 3 l"}, eur: 4200, rub: 3590, popularity: 10},
	{sku: "POT-5", name: map[string]string{"lv": "Emaljēts katls 5 l", "ru": "Эмалированная кастрюля 5 л", "en": "Enamel pot 5 l"}, eur: 3690, rub: 2890, popularity: 8},
	{sku: "DUTCH-4", name: map[string]string{"lv": "Čuguna katls ar vāku 4 l", "ru": "Чугунная кастрюля-жаровня 4 л", "en": "Cast-iron Dutch oven 4 l"}, eur: 8900, rub: 7490, popularity: 5},
	{sku: "LID-28", name: map[string]string{"lv": "Stikla vāks 28 cm", "ru": "Стеклянная крышка 28 см", "en": "Glass lid 28 cm"}, eur: 1190, rub: 990, popularity: 6},
	{sku: "KNIFE-CHEF", name: map[string]string{"lv": "Šefpavāra nazis 20 cm", "ru": "Поварской нож 20 см", "en": "Chef's knife 20 cm"}, eur: 5900, rub: 4990, popularity: 12},
	{sku: "KNIFE-SANTOKU", name: map[string]string{"lv": "Santoku nazis 18 cm", "ru": "Нож сантоку 18 см", "en": "Santoku knife 18 cm"}, eur: 4900, rub: 4290, popularity: 8},
	{sku: "KNIFE-PARING", name: map[string]string{"lv": "Mizošanas nazis 9 cm", "ru": "Нож для овощей 9 см", "en": "Paring knife 9 cm"}, eur: 1590, rub: 1290, popularity: 9, pair: 2},
	{sku: "KNIFE-SET", name: map[string]string{"lv": "Nažu komplekts statīvā, 5 gab.", "ru": "Набор ножей на подставке, 5 шт.", "en": "Knife block set, 5 pieces"}, eur: 12900, rub: 10990, popularity: 3},
	{sku: "STONE-1000", name: map[string]string{"lv": "Asināmais akmens 1000/6000", "ru": "Точильный камень 1000/6000", "en": "Whetstone 1000/6000"}, eur: 2490, rub: 1990, popularity: 6},
	{sku: "BOARD-OAK", name: map[string]string{"lv": "Ozolkoka griešanas dēlis ar gravējumu", "ru": "Дубовая разделочная доска с гравировкой", "en": "Engraved oak cutting board"}, eur: 2900, rub: 2490, productionDays: 3, popularity: 5},
	{sku: "LADLE", name: map[string]string{"lv": "Zupas kauss", "ru": "Половник", "en": "Ladle"}, eur: 990, rub: 790, popularity: 5},
	{sku: "SPATULA-SET", name: map[string]string{"lv": "Koka lāpstiņu komplekts", "ru": "Набор деревянных лопаток", "en": "Wooden spatula set"}, eur: 1250, rub: 990, popularity: 6},
	{sku: "TOWEL-2", name: map[string]string{"lv": "Lina virtuves dvieļi, 2 gab.", "ru": "Льняные кухонные полотенца, 2 шт.", "en": "Linen tea towels, set of 2"}, eur: 1400, rub: 1190, popularity: 7, pair: 2},
	{sku: "APRON", name: map[string]string{"lv": "Lina priekšauts", "ru": "Льняной фартук", "en": "Linen apron"}, eur: 2200, rub: 1890, popularity: 4},
}

// baskets are how many lines an order holds, by how much its customer
// tends to buy: most one or two things, some one at a time, some fill
// the basket. So what an order comes to varies from customer to
// customer, as the Gamma-Gamma spend model takes it.
var baskets = [][]weighted[int]{
	{{1, 60}, {2, 30}, {3, 10}},
	{{1, 92}, {2, 8}},
	{{1, 10}, {2, 35}, {3, 55}},
}

// basket picks what one order of a customer of the basket kind holds
// (an index of baskets): one to three lines, named in the shop's first
// language, priced in the shop's currency.
func basket(rnd *rand.Rand, s config.Settings, kind int) []order.Item {
	lang := s.Shop.Languages[0]
	choices := make([]weighted[int], len(catalogue))
	for i, p := range catalogue {
		choices[i] = weighted[int]{i, p.popularity}
	}
	lines := pick(rnd, baskets[kind])
	var items []order.Item
	taken := map[int]bool{}
	for len(items) < lines {
		i := pick(rnd, choices)
		if taken[i] {
			continue
		}
		taken[i] = true
		p := catalogue[i]
		name := p.name[lang]
		if name == "" {
			name = p.name["en"]
		}
		qty := int64(1)
		if p.pair > 0 && rnd.IntN(100) < 30 {
			qty = p.pair
		}
		items = append(items, order.Item{SKU: p.sku, Name: name, Qty: qty, PriceMinor: p.price(s.Shop.Currency),
			MadeToOrder: p.productionDays > 0, ProductionDays: p.productionDays})
	}
	return items
}

// price is the product's price in minor units of currency: the rouble
// price for roubles, the euro price (as a number) for anything else.
func (p product) price(currency string) int64 {
	scale := money.Scale(currency)
	if currency == "RUB" {
		return p.rub * pow10(scale)
	}
	return p.eur * pow10(scale) / 100
}

func pow10(n int) int64 {
	v := int64(1)
	for range n {
		v *= 10
	}
	return v
}
