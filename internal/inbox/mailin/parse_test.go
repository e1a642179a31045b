package mailin

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
)

// fixture reads a message from testdata (see testdata/_source.md).
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestParseFixtures(t *testing.T) {
	t.Parallel()
	type want struct {
		from, name, to, subject, messageID, inReplyTo string
		sentAt                                        string // RFC 3339, UTC
		visible                                       string // exactly
		textHas                                       []string
		htmlHas                                       string
		attachments                                   []string // "name content/type size"
		auto                                          inbox.Auto
		bounce                                        *inbox.BounceReport
	}
	cases := map[string]want{
		"gmail_ru_reply.eml": {
			from: "anna.petrova@gmail.com", name: "Анна Петрова", to: "hello@shop.lv",
			subject: "Re: Ваш заказ №1042 отправлен", messageID: "CAKx7zQ1qW3v8LtY9nT2Hh1yXcE_bP0m4sJkU6fRr@mail.gmail.com",
			inReplyTo: "20261130110500.1042.shipped@shop.lv", sentAt: "2026-12-01T06:12:44Z",
			visible: "Добрый день!\n\nЗаказ №1042 ещё не пришёл, хотя обещали доставку к пятнице. Подскажите, где он сейчас?\n\nСпасибо,\nАнна",
			textHas: []string{"> Ваш заказ №1042 отправлен, трек-номер RA123456789LV."}, htmlHas: `class="gmail_quote"`,
		},
		"gmail_lv_attachment.eml": {
			from: "janis.berzins@gmail.com", name: "Jānis Bērziņš", to: "hello@shop.lv",
			subject: "Re: Jūsu pasūtījums 2087 ir piegādāts", messageID: "CAF8kLm2pQ-4sZ7rYy1vN0bT9wXa+JkE3uGh5dOc@mail.gmail.com",
			inReplyTo: "20261130142000.2087.delivered@shop.lv", sentAt: "2026-12-01T06:03:10Z",
			visible:     "Labdien!\n\nPasūtījums 2087 atnāca bojāts — kaste saplīsusi, krūze saplīsusi. Pielikumā foto.\nLūdzu, atsūtiet jaunu vai atmaksājiet naudu.\n\nAr cieņu,\nJānis Bērziņš",
			textHas:     []string{"lietotājs Shop (<hello@shop.lv>) rakstīja:"},
			attachments: []string{"krūze.jpg image/jpeg 91"},
		},
		"outlook_lv_windows1257.eml": {
			from: "liga@ozolini.lv", name: "Līga Ozoliņa", to: "hello@shop.lv",
			subject: "RE: Pasūtījums 3310 pieņemts", messageID: "DB9PR02MB7291A1C0E5C6B2F0D3E4A8B1C9D02@DB9PR02MB7291.eurprd02.prod.outlook.com",
			inReplyTo: "20261130100000.3310.accepted@shop.lv", sentAt: "2026-12-01T07:41:02Z",
			visible:     "Sveiki!\n\nVai varu mainīt piegādes adresi pasūtījumam 3310? Jaunā adrese: Brīvības iela 12-5, Rīga, LV-1010.\n\nPaldies,\nLīga Ozoliņa\nSIA \"Ozoliņi\"\nTālr. +371 20000000",
			textHas:     []string{"Nosūtīts: pirmdiena, 2026. gada 30. novembris 12:00"},
			htmlHas:     "Vai varu mainīt piegādes adresi",
			attachments: []string{"rēķins_3310.pdf application/pdf 45"},
		},
		"outlook_ru_windows1251.eml": {
			from: "s.ivanov@firma.ru", name: "Сергей Иванов", to: "hello@shop.lv",
			subject: "RE: Заказ 5120 принят", messageID: "000601db43a2$4c1f2e40$e45d8ac0$@firma.ru",
			inReplyTo: "20261130150000.5120.accepted@shop.lv", sentAt: "2026-12-01T07:15:33Z",
			visible: "Здравствуйте.\n\nПрошу отменить заказ 5120, передумал.\n\nС уважением,\nСергей Иванов",
			textHas: []string{"-----Original Message-----", "Subject: Заказ 5120 принят"},
		},
		"applemail_ru_iphone.eml": {
			from: "maria.sokolova@icloud.com", name: "Мария Соколова", to: "hello@shop.lv",
			subject: "Re: Ваш заказ №6001 передан курьеру", messageID: "5D1E0C4B-7F2A-4E8B-9C3D-2A1B0F9E8D7C@icloud.com",
			inReplyTo: "20261201081200.6001.courier@shop.lv", sentAt: "2026-12-01T17:47:21Z",
			visible: "Добрый вечер! Курьер не позвонил, можно перенести доставку на субботу?",
			textHas: []string{"Отправлено с iPhone", "написал(а):"},
		},
		"applemail_lv_inline_photo.eml": {
			from: "krisjanis.liepa@icloud.com", name: "Krišjānis Liepa", to: "hello@shop.lv",
			subject: "Bojāta paka 4411", messageID: "9A8B7C6D-5E4F-4321-ABCD-EF0123456789@icloud.com", sentAt: "2026-12-02T16:05:44Z",
			visible:     "Sveiki!\n\nLūk, kā izskatās bojātā paka (foto zemāk):\n\nVai varat nosūtīt jaunu?",
			attachments: []string{"IMG_0412.jpeg image/jpeg 62"},
		},
		"yandex_ru_html_only.eml": {
			from: "olga-k@yandex.ru", name: "Ольга", to: "hello@shop.lv",
			subject: "Re: Заказ 7007", messageID: "1234561733045400@mail.yandex.ru",
			inReplyTo: "20261201070000.7007.shipped@shop.lv", sentAt: "2026-12-01T09:30:00Z",
			visible: "Добрый день!\nГде мой заказ 7007? Прошла уже неделя.",
			textHas: []string{"> Ваш заказ 7007 отправлен."}, htmlHas: "<blockquote>",
		},
		"mailru_ru_windows1251.eml": {
			from: "d.smirnov@mail.ru", name: "Дмитрий Смирнов", to: "hello@shop.lv",
			subject: "Re: Ваш заказ 8800 доставлен", messageID: "1733047212.123456789@f512.i.mail.ru",
			inReplyTo: "20261130150000.8800.delivered@shop.lv", sentAt: "2026-12-01T10:00:12Z",
			visible: "Здравствуйте! Хочу вернуть товар из заказа 8800, не подошёл размер. Как оформить возврат?",
			textHas: []string{"Отправлено из Почты Mail.ru", "от Shop <hello@shop.lv>:"}, htmlHas: "data-signature-widget",
		},
		"thunderbird_ru_koi8r.eml": {
			from: "igor.k@rambler.ru", name: "Игорь Кузнецов", to: "hello@shop.lv",
			subject: "Re: Заказ 9090 на таможне", messageID: "7b1f0d2e-3c4a-4b5d-8e6f-9a0b1c2d3e4f@rambler.ru",
			inReplyTo: "20261130163000.9090.customs@shop.lv", sentAt: "2026-12-01T11:22:05Z",
			visible: "Добрый день.\n\nПосылка 9090 застряла на таможне уже 10 дней. Что делать?\nНужны ли от меня документы?",
			textHas: []string{"-- \nИгорь Кузнецов", "Shop пишет:"},
		},
		"postfix_dsn.eml": {
			from: "mailer-daemon@mx1.shop.lv", name: "Mail Delivery System", to: "hello@shop.lv",
			subject: "Undelivered Mail Returned to Sender", messageID: "4XyZ1k2LmNz9vBq@mx1.shop.lv", sentAt: "2026-12-01T09:00:02Z",
			textHas: []string{"The mail system"}, auto: inbox.Bounce,
			bounce: &inbox.BounceReport{Recipient: "no.such.user@inbox.lv", Status: "5.1.1", Permanent: true,
				Diagnostic:        "550 5.1.1 <no.such.user@inbox.lv>: Recipient address rejected: User unknown in virtual mailbox table",
				OriginalMessageID: "20261201090001.4404.accepted@shop.lv"},
		},
		"mailru_arf_abuse.eml": {
			from: "fbl@corp.mail.ru", name: "Mail.Ru FBL", to: "abuse@shop.example", subject: "FW: Spring tea",
			messageID: "fbl-20261207-1@corp.mail.ru", sentAt: "2026-12-07T06:12:01Z",
			textHas: []string{"email abuse report"}, auto: inbox.Bounce,
			bounce: &inbox.BounceReport{Recipient: "olga@mail.ru", Status: "abuse", Complaint: true, Diagnostic: "Mail.Ru-FBL/1.0",
				OriginalMessageID: "k12-345@shopcare"},
		},
		"exchange_dsn.eml": {
			from: "postmaster@outlook.com", to: "hello@shop.lv", subject: "Undeliverable: Ваш заказ 5555 отправлен",
			messageID: "3f2e1d0c-b9a8-4765-8432-10fedcba9876@AM0PR02MB5841.eurprd02.prod.outlook.com",
			inReplyTo: "20261201092959.5555.shipped@shop.lv", sentAt: "2026-12-01T09:30:00Z",
			textHas: []string{"couldn't be delivered"}, auto: inbox.Bounce,
			bounce: &inbox.BounceReport{Recipient: "old.customer@firma.lv", Status: "5.1.10", Permanent: true,
				Diagnostic:        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
				OriginalMessageID: "20261201092959.5555.shipped@shop.lv"},
		},
		"exim_plain_bounce.eml": {
			from: "mailer-daemon@mx.hosting.ru", name: "Mail Delivery System", to: "hello@shop.lv",
			subject: "Mail delivery failed: returning message to sender", messageID: "E1t2AbC-0004Xy-1Z@mx.hosting.ru", sentAt: "2026-12-01T13:00:00Z",
			textHas: []string{"permanent error"}, auto: inbox.Bounce,
			bounce: &inbox.BounceReport{Recipient: "vasya@old-domain.ru", Status: "5.1.1", Permanent: true,
				Diagnostic: "550 5.1.1 No such user here", OriginalMessageID: "20261201125959.7171.shipped@shop.lv"},
		},
		"exchange_oof.eml": {
			from: "peteris@birojs.lv", name: "Pēteris Kalniņš", to: "hello@shop.lv",
			subject: "Automātiskā atbilde: Jūsu pasūtījums 1200 ir ceļā", messageID: "b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2@VI1PR03MB4567.eurprd03.prod.outlook.com",
			inReplyTo: "20261201100000.1200.shipped@shop.lv", sentAt: "2026-12-01T10:00:05Z",
			visible: "Labdien!\n\nEsmu atvaļinājumā līdz 14. decembrim. Steidzamos jautājumos lūdzu rakstīt kolēģim.",
			auto:    inbox.AutoReply,
		},
		"yandex_autoreply.eml": {
			from: "elena.v@yandex.ru", name: "Елена", to: "hello@shop.lv",
			subject: "Автоответ: Ваш заказ 3030 доставлен", messageID: "987651733054400@mail.yandex.ru",
			inReplyTo: "20261201110000.3030.delivered@shop.lv", sentAt: "2026-12-01T12:00:00Z",
			visible: "Здравствуйте! Я в отпуске до 10 декабря и отвечу после возвращения.",
			auto:    inbox.AutoReply,
		},
	}
	files, err := filepath.Glob("testdata/*.eml")
	if err != nil || len(files) != len(cases) {
		t.Fatalf("%d fixtures in testdata, %d cases: every fixture needs its asserted fields (%v)", len(files), len(cases), err)
	}
	for name, w := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw := fixture(t, name)
			in, err := Parse(raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			check := func(field, got, want string) {
				t.Helper()
				if got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("Channel", in.Channel, inbox.ChannelEmail)
			check("From", in.From, w.from)
			check("FromName", in.FromName, w.name)
			check("To", in.To, w.to)
			check("Subject", in.Subject, w.subject)
			check("MessageID", in.MessageID, w.messageID)
			check("InReplyTo", in.InReplyTo, w.inReplyTo)
			check("SentAt", in.SentAt.Format(time.RFC3339), w.sentAt)
			check("Auto", string(in.Auto), string(w.auto))
			if w.inReplyTo != "" && !slices.Contains(in.References, w.inReplyTo) && w.auto == inbox.Human {
				t.Errorf("References = %q, want it to hold %q", in.References, w.inReplyTo)
			}
			if w.visible != "" {
				check("Visible", in.Visible, w.visible)
			}
			for _, s := range w.textHas {
				if !strings.Contains(in.Text, s) {
					t.Errorf("Text lacks %q:\n%s", s, in.Text)
				}
			}
			if w.htmlHas != "" && !strings.Contains(in.HTML, w.htmlHas) {
				t.Errorf("HTML lacks %q", w.htmlHas)
			}
			var atts []string
			for _, a := range in.Attachments {
				atts = append(atts, a.Name+" "+a.ContentType+" "+strconv.Itoa(len(a.Data)))
			}
			if !slices.Equal(atts, w.attachments) {
				t.Errorf("Attachments = %q, want %q", atts, w.attachments)
			}
			switch {
			case w.bounce == nil && in.Bounce != nil:
				t.Errorf("Bounce = %+v, want none", *in.Bounce)
			case w.bounce != nil && in.Bounce == nil:
				t.Errorf("Bounce = nil, want %+v", *w.bounce)
			case w.bounce != nil && *in.Bounce != *w.bounce:
				t.Errorf("Bounce = %+v\nwant     %+v", *in.Bounce, *w.bounce)
			}
			if string(in.Raw) != string(raw) {
				t.Error("Raw is not the message as it came")
			}
		})
	}
}

func TestParseAttachmentCaps(t *testing.T) {
	t.Parallel()
	raw := fixture(t, "outlook_lv_windows1257.eml")
	for _, tc := range []struct {
		name   string
		p      Parser
		kept   int
		noteOf string
	}{
		{"within the caps", Parser{}, 1, ""},
		{"over the cap per file", Parser{MaxAttachment: 10}, 0, "it is over the 10 B limit per file"},
		{"over the cap per message", Parser{MaxAttachments: 20}, 0, "the message's files are over the 20 B limit"},
		{"in Russian", Parser{MaxAttachment: 10, Lang: i18n.RU}, 0, "не сохранён: он больше допустимых 10 B на файл"},
		{"in Latvian", Parser{MaxAttachments: 20, Lang: i18n.LV}, 0, "vēstules faili pārsniedz 20 B ierobežojumu"},
	} {
		in, err := tc.p.Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(in.Attachments) != tc.kept {
			t.Errorf("%s: %d attachments kept, want %d", tc.name, len(in.Attachments), tc.kept)
		}
		if tc.noteOf != "" && (!strings.Contains(in.Text, tc.noteOf) || !strings.Contains(in.Visible, "rēķins_3310.pdf")) {
			t.Errorf("%s: no note of the dropped file:\n%s\n--\n%s", tc.name, in.Text, in.Visible)
		}
	}
	in, err := Parser{MaxRaw: 100}.Parse(raw)
	if err != nil || in.Raw != nil {
		t.Errorf("a message over MaxRaw keeps Raw (%d bytes), err %v", len(in.Raw), err)
	}
}

func TestParseNotMail(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"", "hello world", "\r\n\r\nbody only"} {
		if _, err := Parse([]byte(raw)); err == nil {
			t.Errorf("Parse(%q) took it for a message", raw)
		}
	}
}

func TestAutoReplyHeaders(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header string
		want   inbox.Auto
	}{
		{"Auto-Submitted: no", inbox.Human},
		{"Auto-Submitted: auto-replied", inbox.AutoReply},
		{"Auto-Submitted: auto-generated; owner-email=\"a@b.lv\"", inbox.AutoReply},
		{"X-Autoreply: yes", inbox.AutoReply},
		{"X-Autorespond: Out of office", inbox.AutoReply},
		{"Precedence: bulk", inbox.AutoReply},
		{"Precedence: junk", inbox.AutoReply},
		{"Precedence: auto_reply", inbox.AutoReply},
		{"X-Auto-Response-Suppress: All", inbox.AutoReply},
		{"X-Auto-Response-Suppress: OOF, AutoReply", inbox.AutoReply},
		{"X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent", inbox.AutoReply},
		{"X-MS-Exchange-Inbox-Rules-Loop: a@b.lv", inbox.Human}, // a rule's forward of a person's mail
		{"Subject: Out of Office: Re: order 5", inbox.AutoReply},
		{"Subject: Automatic reply: order 5", inbox.AutoReply},
		{"Subject: =?utf-8?B?0JDQstGC0L7QvtGC0LLQtdGCOiDQt9Cw0LrQsNC3?=", inbox.AutoReply},     // Автоответ: заказ
		{"Subject: =?utf-8?B?0J3QtdGCINC90LAg0LzQtdGB0YLQtSDQtNC+IDEwLjEy?=", inbox.AutoReply}, // Нет на месте до 10.12
		{"Subject: =?utf-8?Q?Autom=C4=81tisk=C4=81_atbilde:_pas=C5=AAt=C4=ABjums?=", inbox.AutoReply},
		{"Subject: Re: where is my out of office chair?", inbox.Human},
		{"Subject: =?koi8-r?B?7sXUIM7BIM3F09TFIMTPIDEwLjEy?=", inbox.AutoReply}, // Нет на месте до 10.12, in KOI8-R
	} {
		raw := "From: a@b.lv\r\nTo: hello@shop.lv\r\nMessage-ID: <1@b.lv>\r\n" + tc.header + "\r\n\r\nText\r\n"
		if !strings.HasPrefix(tc.header, "Subject:") {
			raw = "Subject: Hello\r\n" + raw
		}
		in, err := Parse([]byte(raw))
		if err != nil {
			t.Fatalf("%s: %v", tc.header, err)
		}
		if in.Auto != tc.want {
			t.Errorf("%s (subject %q): Auto = %q, want %q", tc.header, in.Subject, in.Auto, tc.want)
		}
	}
}

func TestVisible(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, text, want string }{
		{"english gmail", "Thanks!\n\nOn Mon, Nov 30, 2026 at 2:05 PM Shop <hello@shop.lv> wrote:\n> Your order shipped.", "Thanks!"},
		{"wrapped attribution", "Thanks!\n\nOn Mon, Nov 30, 2026 at 2:05 PM Shop <\nhello@shop.lv> wrote:\n\n> Your order shipped.", "Thanks!"},
		{"outlook english", "Yes please.\n\nFrom: Shop <hello@shop.lv>\nSent: Monday, November 30, 2026 12:00\nTo: me\nSubject: Order", "Yes please."},
		{"outlook russian", "Да.\n\nОт: Shop <hello@shop.lv>\nОтправлено: 30 ноября 2026 г. 12:00\nКому: я", "Да."},
		{"original message ru", "Ок.\n-----Исходное сообщение-----\nОт: Shop", "Ок."},
		{"latvian", "Paldies!\n\n2026. gada 30. nov. 12:00 Shop <hello@shop.lv> rakstīja:\n> Sveiki", "Paldies!"},
		{"russian wrote", "Спасибо!\n\n30.11.2026 12:00, Shop написал(а):\n> Здравствуйте", "Спасибо!"},
		{"inline reply kept", "> Which size?\nM, please.\n> Which colour?\nBlue.", "> Which size?\nM, please.\n> Which colour?\nBlue."},
		{"trailing quote", "Blue.\n\n> Which colour?\n>", "Blue."},
		{"signature", "See you.\n-- \nAnna\n+371 2000", "See you."},
		{"iphone", "Ok\n\nSent from my iPhone", "Ok"},
		{"mail.ru mobile", "Хорошо\n\nОтправлено из мобильной Почты Mail.ru", "Хорошо"},
		{"latvian iphone", "Labi\n\nNosūtīts no mana iPhone", "Labi"},
		{"only a forward", "---------- Forwarded message ---------\nFrom: X <x@y.lv>\nDate: Mon\n\nText", "---------- Forwarded message ---------\nFrom: X <x@y.lv>\nDate: Mon\n\nText"},
		{"a colon line is not a quote", "My address:\nBrīvības 1, Rīga", "My address:\nBrīvības 1, Rīga"},
	} {
		if got := Visible(tc.text); got != tc.want {
			t.Errorf("%s: Visible = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestParseBounceVariants(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, raw string
		want      *inbox.BounceReport
	}{
		{"delayed DSN", "From: MAILER-DAEMON@mx.shop.lv\r\nTo: hello@shop.lv\r\nSubject: Delayed Mail (still being retried)\r\n" +
			"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nDelayed.\r\n" +
			"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.shop.lv\r\n\r\nFinal-Recipient: rfc822; slow@example.ru\r\n" +
			"Action: delayed\r\nStatus: 4.4.1\r\nDiagnostic-Code: X-Postfix; connect to mx.example.ru: Connection timed out\r\n--b--\r\n",
			&inbox.BounceReport{Recipient: "slow@example.ru", Status: "4.4.1", Diagnostic: "connect to mx.example.ru: Connection timed out"}},
		{"qmail", "From: MAILER-DAEMON@mail.example.ru\r\nTo: hello@shop.lv\r\nSubject: failure notice\r\n\r\n" +
			"Hi. This is the qmail-send program at mail.example.ru.\r\nI'm afraid I wasn't able to deliver your message to the following addresses.\r\n" +
			"This is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n<ivan@example.ru>:\r\n" +
			"Sorry, no mailbox here by that name. (#5.1.1)\r\n\r\n--- Below this line is a copy of the message.\r\n\r\nMessage-ID: <77.order@shop.lv>\r\n",
			&inbox.BounceReport{Recipient: "ivan@example.ru", Status: "5.1.1", Permanent: true, OriginalMessageID: "77.order@shop.lv"}},
		{"russian bounce from postmaster", "From: =?utf-8?B?0J/QvtGH0YLQvtCy0YvQuSDRgdC10YDQstC10YA=?= <postmaster@mail.ru>\r\nTo: hello@shop.lv\r\n" +
			"Subject: =?utf-8?B?0J/QuNGB0YzQvNC+INC90LUg0LTQvtGB0YLQsNCy0LvQtdC90L4=?=\r\nX-Failed-Recipients: nobody@mail.ru\r\n\r\n" +
			"Message was not delivered to <nobody@mail.ru>: 550 5.1.1 Message was not accepted -- invalid mailbox\r\n",
			&inbox.BounceReport{Recipient: "nobody@mail.ru", Status: "5.1.1", Permanent: true, Diagnostic: "550 5.1.1 Message was not accepted -- invalid mailbox"}},
		{"a person writing about an undelivered parcel", "From: anna@example.lv\r\nTo: hello@shop.lv\r\nSubject: Undelivered parcel 55\r\n\r\nMy parcel <55> was not delivered.\r\n", nil},
	} {
		in, err := Parse([]byte(tc.raw))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		switch {
		case tc.want == nil && (in.Bounce != nil || in.Auto == inbox.Bounce):
			t.Errorf("%s: taken for a bounce: %+v", tc.name, in.Bounce)
		case tc.want != nil && (in.Bounce == nil || *in.Bounce != *tc.want || in.Auto != inbox.Bounce):
			t.Errorf("%s: bounce %+v, want %+v", tc.name, in.Bounce, *tc.want)
		}
	}
}

// TestParseBounds: a crafted message of thousands of parts is refused
// before the MIME parser's work grows out of bounds, and a huge text is
// trimmed for display from its first part only.
func TestParseBounds(t *testing.T) {
	t.Parallel()
	parts := "From: a@b.lv\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		strings.Repeat("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n", maxParts+1) + "--b--\r\n"
	if _, err := Parse([]byte(parts)); !errors.Is(err, ErrTooManyParts) {
		t.Errorf("%d parts: %v, want ErrTooManyParts", maxParts+1, err)
	}
	long := "Hello!\n\n" + strings.Repeat("log line\n", 2*maxVisibleScan/9)
	if v := Visible(long); len(v) > maxVisibleScan || !strings.HasPrefix(v, "Hello!") {
		t.Errorf("Visible of %d bytes gave %d bytes", len(long), len(v))
	}
}

// TestParseHTMLOnlyReplies: replies whose only text is HTML (Outlook on
// the web, Mail.ru's app) lose their quoted part for display too.
func TestParseHTMLOnlyReplies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, html, want string }{
		{"outlook web", `<div dir="ltr">Paldies, sapratu.</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">` +
			`<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>No:</b> Shop &lt;hello@shop.lv&gt;<br>` +
			`<b>Nosūtīts:</b> pirmdiena, 2026. gada 30. novembris 12:00<br><b>Kam:</b> Līga<br><b>Tēma:</b> Pasūtījums 3310</font><div>&nbsp;</div></div>` +
			`<div>Jūsu pasūtījums ir ceļā.</div>`, "Paldies, sapratu."},
		{"gmail english", `<div dir="ltr">Thanks, got it!</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Nov 30, 2026 at 2:05 PM Shop &lt;<a href="mailto:hello@shop.lv">hello@shop.lv</a>&gt; wrote:<br></div>` +
			`<blockquote class="gmail_quote">Your order shipped.</blockquote></div>`, "Thanks, got it!"},
	} {
		raw := "From: a@b.lv\r\nTo: hello@shop.lv\r\nSubject: Re\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + tc.html + "\r\n"
		in, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if in.Visible != tc.want {
			t.Errorf("%s: Visible = %q, want %q\n(text %q)", tc.name, in.Visible, tc.want, in.Text)
		}
	}
}
