// Package cdek tracks parcels with CDEK (СДЭК), through the CDEK
// integration API v2 (Data Exchange Protocol v2.0, https://apidoc.cdek.ru
// and https://api-docs.cdek.ru: "Order Details" 33828849.html, "Webhooks"
// 33828884.html, "Webhook Subscription" 33828888.html, Appendix 1 "Order
// status codes"; production https://api.cdek.ru/v2, test
// https://api.edu.cdek.ru/v2).
//
// The parts of it used here:
//
//   - OAuth 2 client credentials: POST /v2/oauth/token with the form
//     grant_type=client_credentials, client_id (the shop's "Account",
//     Options.Key) and client_secret ("Secure password", Options.Secret).
//     The answer's access_token is sent as a Bearer token and kept until
//     shortly before its expires_in runs out; a 401 on a call fetches a new
//     one once.
//   - Order details: GET /v2/orders?cdek_number=… answers the order
//     ("entity") with its statuses (Appendix 1 codes, newest first) and
//     "requests" carrying errors (an unknown number is a 400 with
//     v2_entity_not_found). One order per request, so BatchSize is 1. A
//     direct order CDEK could not deliver ends in NOT_DELIVERED and names
//     its return order in related_entities; Track follows it with
//     GET /v2/orders/{uuid} so the parcel's way back to the shop shows.
//   - Webhooks: POST /v2/webhooks subscribes a URL to ORDER_STATUS events,
//     which CDEK then pushes (see Client.Subscribe and Client.Parse). CDEK
//     does not sign them; the HTTP layer checks a secret in the URL.
//
// Every Appendix 1 order status code, current and legacy names, is mapped
// to a carrier.Status in status.go.
package cdek
