package shopify

import (
	"context"
	"fmt"
	"strings"
)

// Subscriptions are the topics shopcare subscribes to, as GraphQL's
// WebhookSubscriptionTopic values, with their webhook names.
var Subscriptions = []struct{ Enum, Topic string }{
	{"ORDERS_CREATE", "orders/create"},
	{"ORDERS_UPDATED", "orders/updated"},
	{"ORDERS_PAID", "orders/paid"},
	{"ORDERS_CANCELLED", "orders/cancelled"},
	{"ORDERS_FULFILLED", "orders/fulfilled"},
	{"ORDERS_PARTIALLY_FULFILLED", "orders/partially_fulfilled"},
	{"FULFILLMENTS_CREATE", "fulfillments/create"},
	{"FULFILLMENTS_UPDATE", "fulfillments/update"},
	{"REFUNDS_CREATE", "refunds/create"},
}

const (
	subscriptionsQuery = `query($after: String) {
  webhookSubscriptions(first: 100, after: $after) {
    nodes { id topic uri }
    pageInfo { hasNextPage endCursor }
  }
}`
	subscriptionCreate = `mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`
)

// userError is a mutation's refusal of an input.
type userError struct {
	Field   []string `json:"field"`
	Message string   `json:"message"`
}

// userErrors joins a mutation's refusals, each with its field.
func userErrors(ues []userError) error {
	if len(ues) == 0 {
		return nil
	}
	msgs := make([]string, len(ues))
	for i, u := range ues {
		msgs[i] = u.Message
		if len(u.Field) > 0 {
			msgs[i] = strings.Join(u.Field, ".") + ": " + u.Message
		}
	}
	return fmt.Errorf("%s", strings.Join(msgs, "; "))
}

// Register subscribes address to every order topic shopcare follows. A
// topic already subscribed to address is left alone; it returns every
// topic subscribed to address when it is done. Shopify deletes an
// app's subscriptions after deliveries keep failing, so calling it again
// restores what was lost.
func (a *Adapter) Register(ctx context.Context, address string) ([]string, error) {
	have := map[string]bool{}
	var after any
	for {
		var out struct {
			WebhookSubscriptions struct {
				Nodes []struct {
					Topic string `json:"topic"`
					URI   string `json:"uri"`
				} `json:"nodes"`
				PageInfo struct {
					HasNextPage bool   `json:"hasNextPage"`
					EndCursor   string `json:"endCursor"`
				} `json:"pageInfo"`
			} `json:"webhookSubscriptions"`
		}
		if err := a.gql.do(ctx, subscriptionsQuery, map[string]any{"after": after}, costOrder, &out); err != nil {
			return nil, fmt.Errorf("shopify: list webhook subscriptions: %w", err)
		}
		for _, n := range out.WebhookSubscriptions.Nodes {
			if n.URI == address {
				have[n.Topic] = true
			}
		}
		if !out.WebhookSubscriptions.PageInfo.HasNextPage {
			break
		}
		after = out.WebhookSubscriptions.PageInfo.EndCursor
	}
	var topics []string
	for _, s := range Subscriptions {
		if !have[s.Enum] {
			var out struct {
				WebhookSubscriptionCreate struct {
					UserErrors []userError `json:"userErrors"`
				} `json:"webhookSubscriptionCreate"`
			}
			vars := map[string]any{"topic": s.Enum, "sub": map[string]any{"uri": address, "format": "JSON"}}
			if err := a.gql.do(ctx, subscriptionCreate, vars, costOrder, &out); err != nil {
				return topics, fmt.Errorf("shopify: subscribe to %s: %w", s.Topic, err)
			}
			if err := userErrors(out.WebhookSubscriptionCreate.UserErrors); err != nil {
				return topics, fmt.Errorf("shopify: subscribe to %s: %w", s.Topic, err)
			}
		}
		topics = append(topics, s.Topic)
	}
	return topics, nil
}
