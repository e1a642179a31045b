package russianpost

import (
	"testing"

	"github.com/shopcare/shopcare/internal/carrier"
)

func TestStatusOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ, attr int
		want      carrier.Status
	}{
		{1, 1, carrier.Accepted},         // Приём: единичный
		{1, 2, carrier.Accepted},         // Приём: партионный
		{2, 1, carrier.Delivered},        // Вручение адресату
		{2, 2, carrier.Returned},         // Вручение отправителю
		{2, 3, carrier.Delivered},        // Выдано адресату через почтомат
		{2, 4, carrier.Returned},         // Выдано отправителю через почтомат
		{2, 6, carrier.Delivered},        // Адресату почтальоном
		{2, 7, carrier.Returned},         // Отправителю почтальоном
		{2, 8, carrier.Delivered},        // Адресату курьером
		{2, 9, carrier.Returned},         // Отправителю курьером
		{3, 1, carrier.Returning},        // Возврат: истёк срок хранения
		{3, 4, carrier.Returning},        // Возврат: отказ адресата
		{4, 3, carrier.InTransit},        // Досылка: засылка
		{5, 1, carrier.Lost},             // Невручение: утрачено
		{5, 2, carrier.Lost},             // Невручение: изъято
		{5, 3, carrier.InTransit},        // Невручение: засылка
		{5, 8, carrier.Customs},          // Невручение: решение таможни
		{5, 9, carrier.FailedAttempt},    // Доставка по адресу не осуществляется
		{6, 1, carrier.ArrivedAtPickup},  // Хранение: до востребования
		{6, 3, carrier.ArrivedAtPickup},  // Хранение: установленный срок
		{6, 5, carrier.Customs},          // Продление срока выпуска таможней
		{7, 2, ""},                       // Временное хранение: невостребовано
		{8, 0, carrier.InTransit},        // Сортировка
		{8, 1, carrier.InTransit},        // Покинуло место приёма
		{8, 2, carrier.ArrivedAtPickup},  // Прибыло в место вручения
		{8, 3, carrier.InTransit},        // Прибыло в сортировочный центр
		{8, 6, carrier.InTransit},        // Покинуло место международного обмена
		{8, 9, carrier.ArrivedAtPickup},  // Прибыло в почтомат
		{8, 10, ""},                      // Истекает срок хранения в почтомате
		{8, 13, carrier.InTransit},       // Прибыло на территорию РФ
		{8, 14, carrier.ArrivedAtPickup}, // Прибыло в Центр выдачи посылок
		{8, 15, carrier.OutForDelivery},  // Передано курьеру
		{8, 18, carrier.OutForDelivery},  // Передано почтальону
		{8, 24, ""},                      // Направлено извещение
		{8, 28, ""},                      // Истекает срок хранения (осталось 5 дней)
		{8, 99, carrier.InTransit},       // an Обработка attribute yet unknown
		{9, 0, carrier.InTransit},        // Импорт международной почты
		{10, 0, carrier.InTransit},       // Экспорт международной почты
		{11, 0, carrier.Customs},         // Приём на таможню
		{12, 1, carrier.FailedAttempt},   // Неудачная попытка: временное отсутствие
		{12, 9, carrier.FailedAttempt},   // Адресат заберёт отправление сам
		{13, 0, ""},                      // Регистрация отправки
		{14, 1, carrier.Customs},         // Выпущено таможней
		{14, 4, carrier.Customs},         // Отказ в выпуске
		{15, 0, carrier.Lost},            // Передача на временное хранение
		{16, 0, carrier.Lost},            // Уничтожение
		{17, 0, carrier.Lost},            // Оформление в собственность
		{18, 0, carrier.Lost},            // Регистрация утраты
		{19, 0, carrier.Customs},         // Таможенные платежи поступили
		{20, 0, ""},                      // Регистрация
		{21, 2, carrier.Delivered},       // Доставлено в руки под роспись
		{22, 5, carrier.FailedAttempt},   // Недоставка: отказ в получении
		{24, 4, carrier.Customs},         // Продление срока выпуска таможней
		{27, 0, ""},                      // Получена электронная регистрация
		{29, 0, carrier.InTransit},       // Регистрация прохождения в ММПО
		{31, 24, carrier.InTransit},      // Обработка перевозчиком: погружено на борт
		{33, 2, carrier.InTransit},       // Международная обработка
		{39, 2, carrier.Customs},         // Предварительное таможенное декларирование
		{41, 1, carrier.Customs},         // Обработка таможенных платежей
		{42, 1, carrier.FailedAttempt},   // Вторая неудачная попытка вручения
		{43, 0, ""},                      // Вручение разрешено
		{44, 0, ""},                      // Отказ в приёме
		{0, 0, ""},                       // not in the dictionary
		{99, 1, ""},                      // not in the dictionary
	}
	for _, tt := range tests {
		if got := statusOf(tt.typ, tt.attr); got != tt.want {
			t.Errorf("statusOf(%d, %d) = %q, want %q", tt.typ, tt.attr, got, tt.want)
		}
	}
}

func TestOperationsMapToValidStatuses(t *testing.T) {
	t.Parallel()
	for typ, op := range operations {
		if op.status != "" && !op.status.Valid() {
			t.Errorf("OperType %d: invalid status %q", typ, op.status)
		}
		for attr, s := range op.attrs {
			if s != "" && !s.Valid() {
				t.Errorf("OperType %d attr %d: invalid status %q", typ, attr, s)
			}
		}
	}
	for typ := 1; typ <= 44; typ++ {
		if _, ok := operations[typ]; !ok {
			t.Errorf("OperType %d of the dictionary is missing", typ)
		}
	}
}
