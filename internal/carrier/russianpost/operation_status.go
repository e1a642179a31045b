package russianpost

import "github.com/shopcare/shopcare/internal/carrier"

// operation is one OperType of the tracking service's dictionary
// (https://tracking.pochta.ru/support/dictionaries/operation_codes): the
// status its records map to, and the attributes (OperAttr) that map to
// another one.
type operation struct {
	status carrier.Status
	attrs  map[int]carrier.Status
}

// operations is the dictionary of operation types, OperType → status,
// with the attributes that differ. A type or attribute not listed maps to
// the type's status; a type not listed at all maps to "" (it changes
// nothing). "" also marks the operations that say something about the
// parcel but move it to no status of ours: a notice sent, a storage term
// running out, data registered before the parcel reaches the post.
//
// The final operations of the dictionary (2 Вручение, 5.1 Утрачено,
// 5.2 Изъято, 15 Передача на временное хранение, 16 Уничтожение,
// 17 Оформление в собственность, 18 Регистрация утраты) map to final
// statuses: delivered or returned for a handover, lost for the others —
// the parcel reaches neither the customer nor the shop.
var operations = map[int]operation{
	// 1 Приём (1 единичный, 2 партионный, 3 партионный электронно,
	// 4 упрощённый единичный).
	1: {status: carrier.Accepted},
	// 2 Вручение: to the addressee (0, 1, 3 via a parcel locker,
	// 5 electronically, 6 by the postman, 8 by a courier, 10–12 with
	// answer control, 13 by simple e-signature) or back to the sender.
	2: {status: carrier.Delivered, attrs: map[int]carrier.Status{
		2: carrier.Returned, // Вручение отправителю
		4: carrier.Returned, // Выдано отправителю через почтомат
		7: carrier.Returned, // Отправителю почтальоном
		9: carrier.Returned, // Отправителю курьером
	}},
	// 3 Возврат (1 истёк срок хранения, 2 заявление отправителя,
	// 3 отсутствие адресата, 4 отказ адресата, … 13): on its way back.
	3: {status: carrier.Returning},
	// 4 Досылка почты (1 по заявлению, 2 выбытие адресата, 3 засылка,
	// 4 запрещено САБ, 5 передача на временное хранение, 6 передача в
	// невостребованные): sent on to another office.
	4: {status: carrier.InTransit},
	// 5 Невручение.
	5: {status: "", attrs: map[int]carrier.Status{
		1: carrier.Lost,          // Утрачено (final)
		2: carrier.Lost,          // Изъято (final)
		3: carrier.InTransit,     // Засылка: sent to the wrong office, goes on
		8: carrier.Customs,       // Решение таможни
		9: carrier.FailedAttempt, // Доставка по указанному адресу не осуществляется
	}},
	// 6 Хранение (1 до востребования, 2 на абонементный ящик,
	// 3 установленный срок хранения, 4 продление срока по заявлению
	// адресата): kept at the office for the addressee to collect.
	6: {status: carrier.ArrivedAtPickup, attrs: map[int]carrier.Status{
		5: carrier.Customs, // Продление срока выпуска таможней
	}},
	// 7 Временное хранение (1 нероздано, 2 невостребовано, 3 содержимое
	// запрещено, 4 ожидает экспертизы): moved to the store of undelivered
	// mail; what follows tells where it goes.
	7: {status: ""},
	// 8 Обработка: moving through the network, with the arrivals at the
	// place of handover and the handovers to a courier or postman.
	8: {status: carrier.InTransit, attrs: map[int]carrier.Status{
		2:  carrier.ArrivedAtPickup, // Прибыло в место вручения
		9:  carrier.ArrivedAtPickup, // Прибыло в почтомат
		10: "",                      // Истекает срок хранения в почтомате
		12: "",                      // Изъято из почтомата
		14: carrier.ArrivedAtPickup, // Прибыло в Центр выдачи посылок
		15: carrier.OutForDelivery,  // Передано курьеру
		16: carrier.ArrivedAtPickup, // Доставлено для вручения электронно
		18: carrier.OutForDelivery,  // Передано почтальону
		19: "",                      // Передача в кладовую хранения
		21: "",                      // Уточнение адреса
		23: "",                      // Продление срока хранения
		24: "",                      // Направлено извещение
		25: "",                      // Доставлено извещение
		26: "",                      // Зарегистрировано с новым номером
		27: "",                      // Истекает срок хранения (осталось 25 дней)
		28: "",                      // Истекает срок хранения (осталось 5 дней)
		29: "",                      // Находится на техническом исследовании
		33: "",                      // Истекает срок хранения (осталось 23 дня)
		34: "",                      // До ввод данных
		35: "",                      // Истекает срок хранения (осталось 10 дней)
	}},
	9:  {status: carrier.InTransit}, // Импорт международной почты
	10: {status: carrier.InTransit}, // Экспорт международной почты
	11: {status: carrier.Customs},   // Приём на таможню
	// 12 Неудачная попытка вручения (1 временное отсутствие адресата,
	// … 9 адресат заберёт сам, 10 нет адресата, … 28).
	12: {status: carrier.FailedAttempt},
	13: {status: ""},              // Регистрация отправки
	14: {status: carrier.Customs}, // Таможенное оформление (1 выпущено, 2 возвращено, … 19)
	15: {status: carrier.Lost},    // Передача на временное хранение (final)
	16: {status: carrier.Lost},    // Уничтожение (final)
	17: {status: carrier.Lost},    // Оформление в собственность (final)
	18: {status: carrier.Lost},    // Регистрация утраты (final)
	19: {status: carrier.Customs}, // Таможенные платежи поступили
	20: {status: ""},              // Регистрация
	// 21 Доставка (1 в почтовый ящик, 2 в руки адресату под роспись,
	// 3 на ресепшн под роспись).
	21: {status: carrier.Delivered},
	// 22 Недоставка (1 отсутствие п/я, 2 нет улицы/дома, … 9 не поместилось в п/я).
	22: {status: carrier.FailedAttempt},
	23: {status: ""},                    // Поступление на временное хранение
	24: {status: carrier.Customs},       // Продление срока выпуска таможней
	25: {status: ""},                    // Вскрытие
	26: {status: ""},                    // Отмена (1 требование отправителя, 2 ошибка оператора)
	27: {status: ""},                    // Получена электронная регистрация
	28: {status: ""},                    // Присвоение идентификатора
	29: {status: carrier.InTransit},     // Регистрация прохождения в ММПО
	30: {status: ""},                    // Отправка SRM
	31: {status: carrier.InTransit},     // Обработка перевозчиком
	32: {status: carrier.InTransit},     // Поступление АПО
	33: {status: carrier.InTransit},     // Международная обработка
	34: {status: ""},                    // Электронное уведомление загружено
	35: {status: ""},                    // Отказ в курьерской доставке: it waits at the office instead
	36: {status: ""},                    // Уточнение вида оплаты доставки
	37: {status: ""},                    // Предварительное оформление
	38: {status: ""},                    // Задержка для уточнений у отправителя
	39: {status: carrier.Customs},       // Предварительное таможенное декларирование
	40: {status: carrier.Customs},       // Таможенный контроль
	41: {status: carrier.Customs},       // Обработка таможенных платежей
	42: {status: carrier.FailedAttempt}, // Вторая неудачная попытка вручения
	43: {status: ""},                    // Вручение разрешено
	44: {status: ""},                    // Отказ в приёме
}

// statusOf maps an operation type and attribute to a normalised status.
func statusOf(operType, operAttr int) carrier.Status {
	op, ok := operations[operType]
	if !ok {
		return ""
	}
	if s, ok := op.attrs[operAttr]; ok {
		return s
	}
	return op.status
}
