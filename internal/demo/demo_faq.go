package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/faq"
	"github.com/shopcare/shopcare/internal/i18n"
)

// demoFAQ is the demo shop's FAQ per language: what a kitchenware
// shop's customers ask about delivery, payment, returns, points and
// packing. The answers name no carrier, price or currency: the help page
// shows the carriers' times from the settings beside them, and the two
// demo shops differ in those.
var demoFAQ = map[i18n.Lang][][3]string{ // section, question, answer
	i18n.RU: {
		{"Доставка", "Сколько идёт доставка?", "Заказ, оформленный до отсечки рабочего дня, отправляем в тот же день; остальные — на следующий рабочий день.\n\nСрок в пути у каждого перевозчика свой, он указан ниже в разделе «Доставка». Точную дату мы пишем в письме о заказе и на странице отслеживания."},
		{"Доставка", "Как узнать, где мой заказ?", "Откройте «Мои заказы»: у каждого заказа есть статус, обещанная дата и посылки с трек-номерами. Если дата сдвинется, мы напишем сами."},
		{"Доставка", "Можно ли изменить адрес доставки?", "Да, пока заказ не передан перевозчику. Напишите нам через форму «Задать вопрос» ниже или позвоните."},
		{"Оплата", "Как можно оплатить заказ?", "Картой на сайте, банковским переводом или при получении у курьера."},
		{"Оплата", "Когда списываются деньги при оплате картой?", "Сразу при оформлении заказа. Если мы не сможем его собрать, вернём деньги в течение трёх рабочих дней."},
		{"Возврат", "Как вернуть товар?", "Откройте заказ в «Моих заказах» и нажмите «Вернуть товары»: выберите товары, количество и причину. Мы свяжемся с вами и расскажем, как передать посылку."},
		{"Возврат", "Сколько времени есть на возврат?", "Срок считается со дня доставки заказа, а не со дня покупки. Если товар пришёл повреждённым, напишите нам сразу — такой возврат за наш счёт."},
		{"Баллы и клуб", "Как копить и тратить баллы?", "Баллы начисляются за каждый доставленный заказ. Их можно обменять на купон в разделе «Баллы и клуб»; там же видно, когда сгорают старые баллы."},
		{"Баллы и клуб", "Что даёт уровень в клубе?", "Чем больше вы у нас покупаете, тем выше уровень: скидка на каждый заказ, бесплатная подарочная упаковка и бесплатная доставка на старших уровнях."},
		{"Упаковка", "Как вы упаковываете хрупкую посуду?", "Стекло и керамику заворачиваем в пузырчатую плёнку и крафт-бумагу, а коробку заклеиваем так, чтобы она пережила дорогу. Подробнее — в разделе «Как мы упаковываем» ниже."},
	},
	i18n.LV: {
		{"Piegāde", "Cik ilgi notiek piegāde?", "Pasūtījumu, kas veikts līdz darba dienas beigu laikam, nosūtām tajā pašā dienā; pārējos — nākamajā darba dienā.\n\nPiegādes laiks katram pārvadātājam ir savs, tas norādīts zemāk sadaļā „Piegāde”. Precīzu datumu rakstām vēstulē par pasūtījumu un izsekošanas lapā."},
		{"Piegāde", "Kā uzzināt, kur ir mans pasūtījums?", "Atveriet „Mani pasūtījumi”: katram pasūtījumam redzams statuss, solītais datums un sūtījumi ar izsekošanas numuriem. Ja datums mainās, mēs paši jums uzrakstīsim."},
		{"Piegāde", "Vai var mainīt piegādes adresi?", "Jā, kamēr pasūtījums nav nodots pārvadātājam. Uzrakstiet mums ar formu „Uzdot jautājumu” zemāk vai piezvaniet."},
		{"Apmaksa", "Kā var apmaksāt pasūtījumu?", "Ar karti vietnē, ar bankas pārskaitījumu vai saņemot pie kurjera."},
		{"Apmaksa", "Kad nauda tiek noņemta, maksājot ar karti?", "Uzreiz, noformējot pasūtījumu. Ja mēs to nevarēsim sakomplektēt, naudu atmaksāsim trīs darba dienu laikā."},
		{"Atgriešana", "Kā atgriezt preci?", "Atveriet pasūtījumu sadaļā „Mani pasūtījumi” un nospiediet „Atgriezt preces”: izvēlieties preces, daudzumu un iemeslu. Mēs sazināsimies ar jums un pastāstīsim, kā nodot sūtījumu."},
		{"Atgriešana", "Cik ilgā laikā var atgriezt preci?", "Termiņu skaitām no pasūtījuma piegādes dienas, nevis no pirkuma dienas. Ja prece atnāca bojāta, uzrakstiet mums uzreiz — šāda atgriešana ir uz mūsu rēķina."},
		{"Punkti un klubs", "Kā krāt un tērēt punktus?", "Punktus piešķiram par katru piegādāto pasūtījumu. Tos var apmainīt pret kuponu sadaļā „Punkti un klubs”; tur redzams arī, kad vecie punkti zūd."},
		{"Punkti un klubs", "Ko dod līmenis klubā?", "Jo vairāk pērkat, jo augstāks līmenis: atlaide katram pasūtījumam, bezmaksas dāvanu iesaiņojums un bezmaksas piegāde augstākajos līmeņos."},
		{"Iepakojums", "Kā jūs iepakojat trauslus traukus?", "Stiklu un keramiku ietinam burbuļplēvē un kraftpapīrā, bet kasti aizlīmējam tā, lai tā izturētu ceļu. Vairāk — sadaļā „Kā mēs iepakojam” zemāk."},
	},
	i18n.EN: {
		{"Delivery", "How long does delivery take?", "An order placed before the day's cut-off leaves the same day; later ones the next working day.\n\nEach carrier's time on the way is listed below under Delivery. The exact date is in the e-mail about your order and on its tracking page."},
		{"Delivery", "How do I find out where my order is?", "Open My orders: every order shows its status, the promised date and its parcels with their tracking numbers. If the date moves, we write to you first."},
		{"Delivery", "Can I change the delivery address?", "Yes, until the order is handed to the carrier. Write to us with the Ask a question form below, or call us."},
		{"Payment", "How can I pay?", "By card on the website, by bank transfer, or to the courier on delivery."},
		{"Payment", "When is my card charged?", "When you place the order. If we cannot put it together, you get the money back within three working days."},
		{"Returns", "How do I return an item?", "Open the order in My orders and press Return items: choose the items, how many and why. We get in touch and tell you how to hand the parcel over."},
		{"Returns", "How long do I have to return an item?", "The time counts from the day the order was delivered, not the day you bought it. If an item arrived damaged, write to us at once: that return is on us."},
		{"Points and club", "How do I earn and spend points?", "You earn points for every delivered order. Exchange them for a coupon under Points and club, where you also see when old points expire."},
		{"Points and club", "What does a club tier give me?", "The more you buy, the higher your tier: a discount on every order, free gift wrap and, on the top tiers, free delivery."},
		{"Packing", "How do you pack fragile dishes?", "Glass and ceramics go into bubble wrap and kraft paper, and the box is taped to survive the road. More under How we pack below."},
	},
}

// seedFAQ writes the demo FAQ in each of the shop's languages that has
// none yet, dated until (the demo's business time).
func seedFAQ(ctx context.Context, a *app.App, until time.Time) error {
	for _, tag := range a.Settings.Shop.Languages {
		lang, ok := i18n.Parse(tag)
		if !ok {
			continue
		}
		have, err := a.FAQ.List(ctx, lang)
		if err != nil {
			return fmt.Errorf("demo FAQ in %s: %w", lang, err)
		}
		if len(have) > 0 {
			continue
		}
		for _, x := range demoFAQ[lang] {
			if _, err := a.FAQ.Save(ctx, faq.Entry{Language: lang, Section: x[0], Question: x[1], Answer: x[2]}, until); err != nil {
				return fmt.Errorf("demo FAQ in %s: %q: %w", lang, x[1], err)
			}
		}
	}
	return nil
}
