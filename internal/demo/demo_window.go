package demo

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/i18n"
)

// ShopWindowPath is the demo shop's own product page, served beside
// shopcare by `shopcare demo`: what a shop's site looks like with
// shopcare's scripts on it: the delivery-date line under each product
// (/delivery.js), its stock with "tell me when it's back" (/stock.js),
// the "write to us" button (/widget.js) and the visitor counter
// (/count.js).
const ShopWindowPath = "/demo/shop"

// windowProducts are the catalogue's products the window shows: stock
// goods, one running low, one out with customers waiting to be told it
// is back, and one made to order, so the dates and the stock differ.
var windowProducts = []string{"PAN-24", "KNIFE-CHEF", "BOARD-OAK", "DUTCH-4", "STONE-1000"}

// windowTexts are the page's own words by language.
var windowTexts = map[i18n.Lang]struct{ Title, Intro, Buy string }{
	i18n.RU: {"Витрина магазина", "Так выглядит сайт магазина со скриптами shopcare: под каждым товаром — когда он приедет, если заказать сейчас, и есть ли он на складе (а если нет — «Сообщить, когда появится»), в углу — кнопка «Написать нам», чьи сообщения попадают во входящие; счётчик посещений считает эту страницу без cookies.", "В корзину"},
	i18n.LV: {"Veikala skatlogs", "Tā izskatās veikala vietne ar shopcare skriptiem: zem katras preces — kad tā pienāks, ja pasūta tagad, un vai tā ir noliktavā (ja nav — “Paziņot, kad būs”), stūrī — poga “Rakstiet mums”, kuras ziņas nonāk iesūtnē; apmeklējumu skaitītājs skaita šo lapu bez sīkdatnēm.", "Grozā"},
	i18n.EN: {"Shop window", "This is a shop's site with shopcare's scripts on it: under each product, when it arrives if ordered now and whether it is in stock (if not, \"tell me when it's back\"), in the corner the \"write to us\" button, whose messages land in the inbox; the visitor counter counts this page without cookies.", "Add to cart"},
}

var windowPage = template.Must(template.New("window").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{.Shop}} — {{.Title}}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1f2328; }
ul { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 1rem; }
li { border: 1px solid #d0d7de; border-radius: .5rem; padding: 1rem; }
.price { font-weight: bold; }
[data-shopcare-delivery] { color: #1a7f37; font-size: .9rem; min-height: 2.7em; }
button { font: inherit; padding: .4rem .8rem; }
</style>
</head>
<body>
<h1>{{.Shop}}</h1>
<p>{{.Intro}}</p>
<ul>
{{- range .Products}}
<li><h2>{{.Name}}</h2><p class="price">{{.Price}}</p>
<div data-shopcare-delivery data-items="{{.Items}}"></div>
{{- if .Tracked}}
<div data-shopcare-stock data-sku="{{.SKU}}"></div>
{{- end}}
<button type="button">{{$.Buy}}</button></li>
{{- end}}
</ul>
<script src="/delivery.js" defer></script>
<script src="/stock.js" defer></script>
<script src="/widget.js" defer></script>
<script src="/count.js" defer></script>
</body>
</html>
`))

// windowProduct is one product in the window.
type windowProduct struct {
	Name, Price, Items, SKU string
	// Tracked is set for an item whose stock the shop keeps.
	Tracked bool
}

// WithShopWindow serves the demo shop's product page at ShopWindowPath
// beside shopcare's own handler next; a reads the shop's language,
// currency and catalogue names.
func WithShopWindow(a *app.App, next http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", next)
	mux.HandleFunc("GET "+ShopWindowPath, func(w http.ResponseWriter, r *http.Request) {
		s := a.Settings
		lang := i18n.Pick(s.Shop.Languages[0], i18n.EN)
		texts := windowTexts[lang]
		data := struct {
			Lang                    i18n.Lang
			Shop, Title, Intro, Buy string
			Products                []windowProduct
		}{Lang: lang, Shop: s.Shop.Name, Title: texts.Title, Intro: texts.Intro, Buy: texts.Buy}
		for _, p := range catalogue {
			for _, sku := range windowProducts {
				if p.sku != sku {
					continue
				}
				items := p.sku
				if p.productionDays > 0 {
					items += ":" + strconv.Itoa(p.productionDays)
				}
				_, tracked := demoStock[p.sku]
				data.Products = append(data.Products, windowProduct{Name: p.name[string(lang)],
					Price: i18n.Money(lang, p.price(s.Shop.Currency), s.Shop.Currency), Items: items, SKU: p.sku, Tracked: tracked})
			}
		}
		var buf bytes.Buffer
		if err := windowPage.Execute(&buf, data); err != nil {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	})
	return mux
}
