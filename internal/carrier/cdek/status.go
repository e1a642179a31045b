package cdek

import (
	"strings"

	"github.com/shopcare/shopcare/internal/carrier"
)

// codeInfo is what shopcare makes of one CDEK order status code.
type codeInfo struct {
	status carrier.Status
	name   string // CDEK's Russian name of the status, for webhooks that carry none
}

// codes maps every order status code of the API's Appendix 1 ("Статусы
// заказов") to a normalised status. Both the current names and the older
// office-named ones (READY_TO_SHIP_AT_SENDING_OFFICE, …), which CDEK still
// lists, are here.
//
// Why some are mapped as they are:
//   - ACCEPTED and CREATED only register the order in CDEK's system, and
//     REMOVED cancels it before the parcel reached a CDEK warehouse: CDEK
//     does not have the parcel yet, so none is Accepted. INVALID is an
//     order with bad data. All four change nothing ("").
//   - RETURNED_TO_SENDER_CITY_WAREHOUSE and RETURNED_TO_TRANSIT_WAREHOUSE
//     are, in CDEK's words, "not a return to the sender": the parcel went
//     back on a shelf on the way. They are InTransit.
//   - RETURNED_TO_RECIPIENT_CITY_WAREHOUSE is a delivery that failed with
//     another attempt to come: FailedAttempt.
//   - SENT_TO_SENDER_CITY and ACCEPTED_IN_SENDER_CITY move the parcel back
//     to the shop's city: Returning. So do NOT_DELIVERED (the customer
//     refused it, "return to the shop") and POSTOMAT_SEIZED (storage time
//     in the locker ran out).
//   - ENTERED_TO_PICK_UP_POINT is the intake scan at the pickup point,
//     before it is booked in and the customer told (ACCEPTED_AT_PICK_UP_POINT):
//     still InTransit.
var codes = map[string]codeInfo{
	"ACCEPTED": {"", "Принят"},
	"CREATED":  {"", "Создан"},
	"REMOVED":  {"", "Удален"},
	"INVALID":  {"", "Некорректный заказ"},

	"RECEIVED_AT_SHIPMENT_WAREHOUSE": {carrier.Accepted, "Принят на склад отправителя"},

	"READY_FOR_SHIPMENT_IN_SENDER_CITY":      {carrier.InTransit, "Готов к отправке в городе-отправителе"},
	"READY_TO_SHIP_AT_SENDING_OFFICE":        {carrier.InTransit, "Выдан на отправку в г. отправителе"},
	"RETURNED_TO_SENDER_CITY_WAREHOUSE":      {carrier.InTransit, "Возвращен на склад отправителя"},
	"RETURNED_TO_SENDER_WAREHOUSE":           {carrier.InTransit, "Возвращен на склад отправителя"},
	"TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY":  {carrier.InTransit, "Сдан перевозчику в городе-отправителе"},
	"PASSED_TO_CARRIER_AT_SENDING_OFFICE":    {carrier.InTransit, "Сдан перевозчику в г. отправителе"},
	"SENT_TO_TRANSIT_CITY":                   {carrier.InTransit, "Отправлен в город-транзит"},
	"SEND_TO_TRANSIT_OFFICE":                 {carrier.InTransit, "Отправлен в г. транзит"},
	"ACCEPTED_IN_TRANSIT_CITY":               {carrier.InTransit, "Встречен в городе-транзите"},
	"MET_AT_TRANSIT_OFFICE":                  {carrier.InTransit, "Встречен в г. транзите"},
	"ENTERED_TO_TRANSIT_WAREHOUSE":           {carrier.InTransit, "Поступил в город транзита"},
	"ENTERED_TO_OFFICE_TRANSIT_WAREHOUSE":    {carrier.InTransit, "Поступил в г. транзита"},
	"ACCEPTED_AT_TRANSIT_WAREHOUSE":          {carrier.InTransit, "Принят на склад транзита"},
	"ACCEPTED_TO_OFFICE_TRANSIT_WAREHOUSE":   {carrier.InTransit, "Принят на склад транзита"},
	"RETURNED_TO_TRANSIT_WAREHOUSE":          {carrier.InTransit, "Возвращен на склад транзита"},
	"READY_FOR_SHIPMENT_IN_TRANSIT_CITY":     {carrier.InTransit, "Выдан на отправку в городе-транзите"},
	"READY_TO_SHIP_IN_TRANSIT_OFFICE":        {carrier.InTransit, "Выдан на отправку в г. транзите"},
	"TAKEN_BY_TRANSPORTER_FROM_TRANSIT_CITY": {carrier.InTransit, "Сдан перевозчику в городе-транзите"},
	"PASSED_TO_CARRIER_AT_TRANSIT_OFFICE":    {carrier.InTransit, "Сдан перевозчику в г. транзите"},
	"SENT_TO_RECIPIENT_CITY":                 {carrier.InTransit, "Отправлен в город-получатель"},
	"SEND_TO_RECIPIENT_OFFICE":               {carrier.InTransit, "Отправлен в г. получатель"},
	"ACCEPTED_IN_RECIPIENT_CITY":             {carrier.InTransit, "Встречен в городе-получателе"},
	"MET_AT_RECIPIENT_OFFICE":                {carrier.InTransit, "Встречен в г. получателе"},
	"ENTERED_TO_RECIPIENT_CITY_WAREHOUSE":    {carrier.InTransit, "Поступил на склад доставки"},
	"ENTERED_TO_DELIVERY_WAREHOUSE":          {carrier.InTransit, "Поступил на склад доставки"},
	"ACCEPTED_AT_RECIPIENT_CITY_WAREHOUSE":   {carrier.InTransit, "Принят на склад доставки"},
	"ACCEPTED_AT_DELIVERY_WAREHOUSE":         {carrier.InTransit, "Принят на склад доставки"},
	"ENTERED_TO_PICK_UP_POINT":               {carrier.InTransit, "Поступил на склад до востребования"},
	"ENTERED_TO_WAREHOUSE_ON_DEMAND":         {carrier.InTransit, "Поступил на склад до востребования"},
	"SHIPPED_TO_DESTINATION":                 {carrier.InTransit, "Отправлено в страну назначения"},
	"PASSED_TO_TRANSIT_CARRIER":              {carrier.InTransit, "Передано транзитному перевозчику"},

	"IN_CUSTOMS_INTERNATIONAL": {carrier.Customs, "Таможенное оформление в стране отправления"},
	"IN_CUSTOMS_LOCAL":         {carrier.Customs, "Таможенное оформление в стране назначения"},
	"CUSTOMS_COMPLETE":         {carrier.Customs, "Таможенное оформление завершено"},

	"ACCEPTED_AT_PICK_UP_POINT":       {carrier.ArrivedAtPickup, "Принят на склад до востребования"},
	"ACCEPTED_AT_WAREHOUSE_ON_DEMAND": {carrier.ArrivedAtPickup, "Принят на склад до востребования"},
	"POSTOMAT_POSTED":                 {carrier.ArrivedAtPickup, "Заложен в постамат"},

	"TAKEN_BY_COURIER":    {carrier.OutForDelivery, "Выдан на доставку"},
	"ISSUED_FOR_DELIVERY": {carrier.OutForDelivery, "Выдан на доставку"},

	"RETURNED_TO_RECIPIENT_CITY_WAREHOUSE": {carrier.FailedAttempt, "Возвращен на склад доставки"},
	"RETURNED_TO_DELIVERY_WAREHOUSE":       {carrier.FailedAttempt, "Возвращен на склад доставки"},

	"DELIVERED":         {carrier.Delivered, "Вручен"},
	"POSTOMAT_RECEIVED": {carrier.Delivered, "Изъят из постамата клиентом"},

	"NOT_DELIVERED":           {carrier.Returning, "Не вручен"},
	"POSTOMAT_SEIZED":         {carrier.Returning, "Изъят из постамата курьером"},
	"SENT_TO_SENDER_CITY":     {carrier.Returning, "Отправлен в город-отправитель"},
	"SEND_TO_SENDING_OFFICE":  {carrier.Returning, "Отправлен в г. отправитель"},
	"ACCEPTED_IN_SENDER_CITY": {carrier.Returning, "Встречен в городе-отправителе"},
	"MET_AT_SENDING_OFFICE":   {carrier.Returning, "Встречен в г. отправителе"},
}

// numericCodes are the numbers of the ORDER_STATUS webhook's deprecated
// status_code field, for a push that carries no string code. Statuses
// added later all share 1000, which says nothing, so it is not here.
var numericCodes = map[string]string{
	"1":  "CREATED",
	"2":  "REMOVED",
	"3":  "RECEIVED_AT_SHIPMENT_WAREHOUSE",
	"4":  "DELIVERED",
	"5":  "NOT_DELIVERED",
	"6":  "READY_FOR_SHIPMENT_IN_SENDER_CITY",
	"7":  "TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY",
	"8":  "SENT_TO_RECIPIENT_CITY",
	"9":  "ACCEPTED_IN_RECIPIENT_CITY",
	"10": "ACCEPTED_AT_RECIPIENT_CITY_WAREHOUSE",
	"11": "TAKEN_BY_COURIER",
	"12": "ACCEPTED_AT_PICK_UP_POINT",
	"13": "ACCEPTED_AT_TRANSIT_WAREHOUSE",
	"16": "RETURNED_TO_SENDER_CITY_WAREHOUSE",
	"17": "RETURNED_TO_TRANSIT_WAREHOUSE",
	"18": "RETURNED_TO_RECIPIENT_CITY_WAREHOUSE",
	"19": "READY_FOR_SHIPMENT_IN_TRANSIT_CITY",
	"20": "TAKEN_BY_TRANSPORTER_FROM_TRANSIT_CITY",
	"21": "SENT_TO_TRANSIT_CITY",
	"22": "ACCEPTED_IN_TRANSIT_CITY",
	"27": "SENT_TO_SENDER_CITY",
	"28": "ACCEPTED_IN_SENDER_CITY",
}

// normCode tidies a status code as CDEK sends it (webhooks have been seen
// with a trailing space).
func normCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// statusOf normalises a CDEK order status code. On a return order (the
// one CDEK opens to bring a parcel back to the shop) every movement is
// Returning and its delivery is the parcel Returned; "" stays "".
func statusOf(code string, returnOrder bool) carrier.Status {
	s := codes[normCode(code)].status
	if !returnOrder || s == "" {
		return s
	}
	if s == carrier.Delivered {
		return carrier.Returned
	}
	return carrier.Returning
}

// nameOf is CDEK's name of a code, "" for a code not in Appendix 1.
func nameOf(code string) string { return codes[normCode(code)].name }
