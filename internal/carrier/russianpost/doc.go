// Package russianpost tracks parcels of Russian Post (Почта России) through
// its tracking API, "API отслеживания почтовых отправлений", in the
// single-access mode (Единичный доступ) described at
// https://tracking.pochta.ru/specification: the SOAP 1.2 service
// https://tracking.russianpost.ru/rtm34 (WSDL at ?wsdl), operation
// getOperationHistory.
//
// A request carries one barcode (OperationHistoryRequest: Barcode,
// MessageType 0 for the parcel's own history, Language RUS) and the
// AuthorizationHeader with the login and password from the tracking
// portal's "Настройки доступа" (Options.Login, Options.Password). The
// answer is OperationHistoryData, a list of historyRecord elements, each
// with AddressParameters (where it happened), ItemParameters (the parcel),
// OperationParameters (OperType and OperAttr, the operation and its
// attribute, and OperDate with its zone), FinanceParameters and
// UserParameters. A barcode the service knows nothing of yields an empty
// list.
//
// Errors come as SOAP Faults whose Detail names the kind:
// AuthorizationFaultReason (bad login or password), OperationHistoryFaultReason
// (the history could not be given, e.g. a barcode in neither of the two
// documented formats), LanguageFaultReason. The service counts requests
// per day per login; once the quota is spent it refuses with a fault
// saying the limit of requests is exceeded ("Превышен лимит количества
// запросов"), which this package reports as a *carrier.RateLimitError.
//
// The single-access API takes one barcode per request, so BatchSize is 1
// and Track asks for its numbers one after another. (The batch API at
// /fc, getTicket and getResponseByTicket, answers only after 15 minutes
// and needs a contract; it is not used.) Russian Post pushes nothing for
// this API, so there is no Webhook.
//
// The operation codes and their attributes, and the status each maps to,
// are in operation_status.go, after the service's dictionary
// https://tracking.pochta.ru/support/dictionaries/operation_codes.
package russianpost
