package store

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Where is a typed filter on a list, as GraphQL's `where` argument holds it: field names mapped
// to comparisons ({"title": {"contains": "shirt"}}), relation names mapped to a filter of the
// related rows ({"variants": {"some": {...}}}, {"collection": {...}}), and "and", "or", "not".
// A list compiles it with its resource's field map (filterResources): names outside the map are
// refused, column names come from the map only, and every value is a bound placeholder of bun's
// (never text put into the statement). It becomes one condition of the list's page statement
// (and of its count): relation filters are EXISTS subqueries, so a filter adds no statement.
type Where map[string]any

// FilterKind is the kind of value a filterable field holds; it decides the comparisons allowed.
type FilterKind string

const (
	KindString FilterKind = "String"
	KindID     FilterKind = "ID"
	KindInt    FilterKind = "Int"
	KindFloat  FilterKind = "Float"
	KindTime   FilterKind = "DateTime"
	KindBool   FilterKind = "Boolean"
	KindEnum   FilterKind = "Enum"
)

// FilterOps are the comparisons of each kind.
var FilterOps = map[FilterKind][]string{
	KindString: {"eq", "ne", "in", "notIn", "contains", "startsWith", "isNull"},
	KindID:     {"eq", "ne", "in", "notIn", "contains", "startsWith", "isNull"},
	KindInt:    {"eq", "ne", "in", "notIn", "lt", "lte", "gt", "gte", "isNull"},
	KindFloat:  {"eq", "ne", "in", "notIn", "lt", "lte", "gt", "gte", "isNull"},
	KindTime:   {"eq", "ne", "in", "notIn", "lt", "lte", "gt", "gte", "isNull"},
	KindBool:   {"eq", "isNull"},
	KindEnum:   {"eq", "ne", "in", "notIn", "isNull"},
}

// filterField is a filterable field: its column on the resource's alias and its kind. An enum
// lists its stored values (GraphQL sends them upper-cased).
type filterField struct {
	col    string
	kind   FilterKind
	values []string
	// flagged: a column that exists only with the sales channels feature on.
	flagged bool
	// real: a PostgreSQL real column, compared with values cast to real (as it holds them).
	real bool
}

// filterRelation is a relation of a resource, filtered as EXISTS over the related rows. from is
// the FROM list of the subquery and link its join condition: {o} stands for the outer alias, {i}
// for the related table's alias, {j} for a join table's alias (all fixed text of this file).
type filterRelation struct {
	target  string
	many    bool
	from    string
	link    string
	flagged bool
}

// filterResource is the field map of one listed table.
type filterResource struct {
	// alias is the alias of the table in the list's statement, as bun writes it.
	alias string
	// table is the table as a subquery reads it, with {i} for its alias.
	table string
	// live is the condition a related row must meet to count ({i}: its alias), e.g. not deleted.
	live      string
	fields    map[string]filterField
	relations map[string]filterRelation
}

func ff(col string, kind FilterKind) filterField { return filterField{col: col, kind: kind} }

func realField(col string) filterField { return filterField{col: col, kind: KindFloat, real: true} }

func enumField(col string, values ...string) filterField {
	return filterField{col: col, kind: KindEnum, values: values}
}

// timestamps are the fields of every table with Medusa's created/updated columns.
func timestamps(m map[string]filterField) map[string]filterField {
	m["createdAt"] = ff("created_at", KindTime)
	m["updatedAt"] = ff("updated_at", KindTime)
	return m
}

func belongsTo(target, table, fk string) filterRelation {
	return filterRelation{target: target, from: table + " AS {i}", link: "{i}.id = {o}." + fk}
}

func hasMany(target, table, fk string) filterRelation {
	return filterRelation{target: target, many: true, from: table + " AS {i}", link: "{i}." + fk + " = {o}.id"}
}

func manyToMany(target, table, join, ownFK, otherFK string) filterRelation {
	return filterRelation{target: target, many: true,
		from: join + " AS {j} JOIN " + table + " AS {i} ON {i}.id = {j}." + otherFK,
		link: "{j}." + ownFK + " = {o}.id"}
}

const notDeleted = "{i}.deleted_at IS NULL"

// filterResources are the field maps of the lists with a where argument, by resource name.
var filterResources = map[string]*filterResource{
	"product": {alias: "product", table: "product", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "title": ff("title", KindString), "subtitle": ff("subtitle", KindString),
			"description": ff("description", KindString), "handle": ff("handle", KindString),
			"isGiftcard": ff("is_giftcard", KindBool), "discountable": ff("discountable", KindBool),
			"status":       enumField("status", "draft", "proposed", "published", "rejected"),
			"collectionId": ff("collection_id", KindID), "typeId": ff("type_id", KindID), "profileId": ff("profile_id", KindID),
			"weight": ff("weight", KindInt), "length": ff("length", KindInt), "height": ff("height", KindInt), "width": ff("width", KindInt),
			"material": ff("material", KindString), "originCountry": ff("origin_country", KindString),
			"hsCode": ff("hs_code", KindString), "midCode": ff("mid_code", KindString), "externalId": ff("external_id", KindString),
		}),
		relations: map[string]filterRelation{
			"variants":   hasMany("variant", "product_variant", "product_id"),
			"collection": belongsTo("collection", "product_collection", "collection_id"),
			"type":       belongsTo("productType", "product_type", "type_id"),
			"tags":       manyToMany("productTag", "product_tag", "product_tags", "product_id", "product_tag_id"),
			"salesChannels": func() filterRelation {
				r := manyToMany("salesChannel", "sales_channel", "product_sales_channel", "product_id", "sales_channel_id")
				r.flagged = true
				return r
			}(),
		},
	},
	"variant": {alias: "product_variant", table: "product_variant", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "title": ff("title", KindString), "productId": ff("product_id", KindID),
			"sku": ff("sku", KindString), "barcode": ff("barcode", KindString), "ean": ff("ean", KindString), "upc": ff("upc", KindString),
			"inventoryQuantity": ff("inventory_quantity", KindInt), "allowBackorder": ff("allow_backorder", KindBool),
			"manageInventory": ff("manage_inventory", KindBool),
			"weight":          ff("weight", KindInt), "length": ff("length", KindInt), "height": ff("height", KindInt), "width": ff("width", KindInt),
			"material": ff("material", KindString), "originCountry": ff("origin_country", KindString),
			"hsCode": ff("hs_code", KindString), "midCode": ff("mid_code", KindString),
		}),
		relations: map[string]filterRelation{
			"product": belongsTo("product", "product", "product_id"),
			"prices":  hasMany("moneyAmount", "money_amount", "variant_id"),
		},
	},
	"moneyAmount": {alias: "money_amount", table: "money_amount", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "currencyCode": ff("currency_code", KindString), "amount": ff("amount", KindInt),
			"minQuantity": ff("min_quantity", KindInt), "maxQuantity": ff("max_quantity", KindInt),
			"regionId": ff("region_id", KindID), "priceListId": ff("price_list_id", KindID), "variantId": ff("variant_id", KindID),
		}),
	},
	"collection": {alias: "product_collection", table: "product_collection", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "title": ff("title", KindString), "handle": ff("handle", KindString),
		}),
		relations: map[string]filterRelation{
			"products": hasMany("product", "product", "collection_id"),
		},
	},
	"productTag": {alias: "product_tag", table: "product_tag", live: notDeleted,
		fields: timestamps(map[string]filterField{"id": ff("id", KindID), "value": ff("value", KindString)}),
	},
	"productType": {alias: "product_type", table: "product_type", live: notDeleted,
		fields: timestamps(map[string]filterField{"id": ff("id", KindID), "value": ff("value", KindString)}),
	},
	"salesChannel": {alias: "sales_channel", table: "sales_channel", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "name": ff("name", KindString), "description": ff("description", KindString),
			"isDisabled": ff("is_disabled", KindBool),
		}),
	},
	"customer": {alias: "customer", table: "customer", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "email": ff("email", KindString), "firstName": ff("first_name", KindString),
			"lastName": ff("last_name", KindString), "phone": ff("phone", KindString), "hasAccount": ff("has_account", KindBool),
		}),
		relations: map[string]filterRelation{
			"groups": manyToMany("customerGroup", "customer_group", "customer_group_customers", "customer_id", "customer_group_id"),
			"orders": hasMany("order", `"order"`, "customer_id"),
		},
	},
	"customerGroup": {alias: "customer_group", table: "customer_group", live: notDeleted,
		fields: timestamps(map[string]filterField{"id": ff("id", KindID), "name": ff("name", KindString)}),
		relations: map[string]filterRelation{
			"customers": manyToMany("customer", "customer", "customer_group_customers", "customer_group_id", "customer_id"),
		},
	},
	"order": {alias: `"order"`, table: `"order"`, live: "true",
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "displayId": ff("display_id", KindInt), "email": ff("email", KindString),
			"status":            enumField("status", "pending", "completed", "archived", "canceled", "requires_action"),
			"fulfillmentStatus": enumField("fulfillment_status", "not_fulfilled", "partially_fulfilled", "fulfilled", "partially_shipped", "shipped", "partially_returned", "returned", "canceled", "requires_action"),
			"paymentStatus":     enumField("payment_status", "not_paid", "awaiting", "captured", "partially_refunded", "refunded", "canceled", "requires_action"),
			"customerId":        ff("customer_id", KindID), "regionId": ff("region_id", KindID), "cartId": ff("cart_id", KindID),
			"currencyCode": ff("currency_code", KindString), "draftOrderId": ff("draft_order_id", KindID),
			"salesChannelId": {col: "sales_channel_id", kind: KindID, flagged: true},
			"canceledAt":     ff("canceled_at", KindTime), "externalId": ff("external_id", KindString),
		}),
		relations: map[string]filterRelation{
			"customer":        belongsTo("customer", "customer", "customer_id"),
			"region":          belongsTo("region", "region", "region_id"),
			"shippingAddress": belongsTo("address", "address", "shipping_address_id"),
			"items":           hasMany("lineItem", "line_item", "order_id"),
			"discounts":       manyToMany("discount", "discount", "order_discounts", "order_id", "discount_id"),
		},
	},
	"lineItem": {alias: "line_item", table: "line_item", live: "true",
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "title": ff("title", KindString), "variantId": ff("variant_id", KindID),
			"quantity": ff("quantity", KindInt), "unitPrice": ff("unit_price", KindInt),
			"fulfilledQuantity": ff("fulfilled_quantity", KindInt), "returnedQuantity": ff("returned_quantity", KindInt),
			"shippedQuantity": ff("shipped_quantity", KindInt), "isGiftcard": ff("is_giftcard", KindBool),
		}),
		relations: map[string]filterRelation{
			"variant": belongsTo("variant", "product_variant", "variant_id"),
		},
	},
	"address": {alias: "address", table: "address", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "firstName": ff("first_name", KindString), "lastName": ff("last_name", KindString),
			"company": ff("company", KindString), "city": ff("city", KindString), "countryCode": ff("country_code", KindString),
			"province": ff("province", KindString), "postalCode": ff("postal_code", KindString), "phone": ff("phone", KindString),
		}),
	},
	"region": {alias: "region", table: "region", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "name": ff("name", KindString), "currencyCode": ff("currency_code", KindString),
			"taxRate": realField("tax_rate"), "taxCode": ff("tax_code", KindString),
			"automaticTaxes": ff("automatic_taxes", KindBool), "giftCardsTaxable": ff("gift_cards_taxable", KindBool),
		}),
	},
	"discount": {alias: "discount", table: "discount", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "code": ff("code", KindString), "isDynamic": ff("is_dynamic", KindBool),
			"isDisabled": ff("is_disabled", KindBool), "startsAt": ff("starts_at", KindTime), "endsAt": ff("ends_at", KindTime),
			"usageLimit": ff("usage_limit", KindInt), "usageCount": ff("usage_count", KindInt),
			"parentDiscountId": ff("parent_discount_id", KindID), "ruleId": ff("rule_id", KindID),
		}),
		relations: map[string]filterRelation{
			"rule":    belongsTo("discountRule", "discount_rule", "rule_id"),
			"regions": manyToMany("region", "region", "discount_regions", "discount_id", "region_id"),
		},
	},
	"discountRule": {alias: "discount_rule", table: "discount_rule", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "description": ff("description", KindString), "value": ff("value", KindInt),
			"type":       enumField("type", "fixed", "percentage", "free_shipping"),
			"allocation": enumField("allocation", "total", "item"),
		}),
	},
	"giftCard": {alias: "gift_card", table: "gift_card", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "code": ff("code", KindString), "value": ff("value", KindInt), "balance": ff("balance", KindInt),
			"isDisabled": ff("is_disabled", KindBool), "regionId": ff("region_id", KindID), "orderId": ff("order_id", KindID),
			"endsAt": ff("ends_at", KindTime),
		}),
		relations: map[string]filterRelation{
			"region": belongsTo("region", "region", "region_id"),
			"order":  belongsTo("order", `"order"`, "order_id"),
		},
	},
	"priceList": {alias: "price_list", table: "price_list", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "name": ff("name", KindString), "description": ff("description", KindString),
			"type":     enumField("type", "sale", "override"),
			"status":   enumField("status", "active", "draft"),
			"startsAt": ff("starts_at", KindTime), "endsAt": ff("ends_at", KindTime),
		}),
		relations: map[string]filterRelation{
			"customerGroups": manyToMany("customerGroup", "customer_group", "price_list_customer_groups", "price_list_id", "customer_group_id"),
			"prices":         hasMany("moneyAmount", "money_amount", "price_list_id"),
		},
	},
	"draftOrder": {alias: "draft_order", table: "draft_order", live: "true",
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "displayId": ff("display_id", KindInt), "status": enumField("status", "open", "completed"),
			"cartId": ff("cart_id", KindID), "orderId": ff("order_id", KindID), "completedAt": ff("completed_at", KindTime),
			"canceledAt": ff("canceled_at", KindTime),
		}),
		relations: map[string]filterRelation{
			"order": belongsTo("order", `"order"`, "order_id"),
		},
	},
	"app": {alias: "oauth", table: "oauth", live: "true",
		fields: map[string]filterField{
			"id": ff("id", KindID), "displayName": ff("display_name", KindString), "applicationName": ff("application_name", KindString),
			"installUrl": ff("install_url", KindString), "uninstallUrl": ff("uninstall_url", KindString),
		},
	},
	"user": {alias: `"user"`, table: `"user"`, live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "email": ff("email", KindString), "firstName": ff("first_name", KindString),
			"lastName": ff("last_name", KindString), "role": enumField("role", "admin", "member", "developer"),
		}),
	},
	"invite": {alias: "invite", table: "invite", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "userEmail": ff("user_email", KindString), "role": enumField("role", "admin", "member", "developer"),
			"accepted": ff("accepted", KindBool), "expiresAt": ff("expires_at", KindTime),
		}),
	},
	"batchJob": {alias: "batch_job", table: "batch_job", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "type": ff("type", KindString), "dryRun": ff("dry_run", KindBool),
			"confirmedAt": ff("confirmed_at", KindTime), "preProcessedAt": ff("pre_processed_at", KindTime),
			"processingAt": ff("processing_at", KindTime), "completedAt": ff("completed_at", KindTime),
			"failedAt": ff("failed_at", KindTime), "canceledAt": ff("canceled_at", KindTime),
		}),
	},
	"note": {alias: "note", table: "note", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "value": ff("value", KindString), "resourceType": ff("resource_type", KindString),
			"resourceId": ff("resource_id", KindID), "authorId": ff("author_id", KindID),
		}),
	},
	"notification": {alias: "notification", table: "notification", live: "true",
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "eventName": ff("event_name", KindString), "resourceType": ff("resource_type", KindString),
			"resourceId": ff("resource_id", KindID), "to": ff(`"to"`, KindString), "customerId": ff("customer_id", KindID),
			"providerId": ff("provider_id", KindID), "parentId": ff("parent_id", KindID),
		}),
	},
	"returnReason": {alias: "return_reason", table: "return_reason", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "value": ff("value", KindString), "label": ff("label", KindString),
			"description": ff("description", KindString), "parentReturnReasonId": ff("parent_return_reason_id", KindID),
		}),
	},
	"shippingOption": {alias: "shipping_option", table: "shipping_option", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "name": ff("name", KindString), "regionId": ff("region_id", KindID),
			"profileId": ff("profile_id", KindID), "providerId": ff("provider_id", KindID),
			"priceType": enumField("price_type", "flat_rate", "calculated"), "amount": ff("amount", KindInt),
			"isReturn": ff("is_return", KindBool), "adminOnly": ff("admin_only", KindBool),
		}),
		relations: map[string]filterRelation{
			"region":  belongsTo("region", "region", "region_id"),
			"profile": belongsTo("shippingProfile", "shipping_profile", "profile_id"),
		},
	},
	"shippingProfile": {alias: "shipping_profile", table: "shipping_profile", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "name": ff("name", KindString), "type": enumField("type", "default", "gift_card", "custom"),
		}),
		relations: map[string]filterRelation{
			"products": hasMany("product", "product", "profile_id"),
		},
	},
	"return": {alias: `"return"`, table: `"return"`, live: "true",
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "status": ff("status::text", KindString), "orderId": ff("order_id", KindID),
			"swapId": ff("swap_id", KindID), "claimOrderId": ff("claim_order_id", KindID),
			"refundAmount": ff("refund_amount", KindInt), "receivedAt": ff("received_at", KindTime),
		}),
		relations: map[string]filterRelation{
			"order": belongsTo("order", `"order"`, "order_id"),
		},
	},
	"swap": {alias: "swap", table: "swap", live: notDeleted,
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "orderId": ff("order_id", KindID), "cartId": ff("cart_id", KindID),
			"fulfillmentStatus": enumField("fulfillment_status", "not_fulfilled", "fulfilled", "shipped", "partially_shipped", "canceled", "requires_action"),
			"paymentStatus":     ff("payment_status::text", KindString), "differenceDue": ff("difference_due", KindInt),
			"confirmedAt": ff("confirmed_at", KindTime), "canceledAt": ff("canceled_at", KindTime),
		}),
		relations: map[string]filterRelation{
			"order": belongsTo("order", `"order"`, "order_id"),
		},
	},
	"taxRate": {alias: "tax_rate", table: "tax_rate", live: "true",
		fields: timestamps(map[string]filterField{
			"id": ff("id", KindID), "name": ff("name", KindString), "code": ff("code", KindString),
			"rate": realField("rate"), "regionId": ff("region_id", KindID),
		}),
		relations: map[string]filterRelation{
			"region": belongsTo("region", "region", "region_id"),
		},
	},
}

// FilterField describes one filterable field of a resource (for the schema's consistency test).
type FilterField struct {
	Name string
	// Kind is the field's kind; a relation has Relation set instead.
	Kind FilterKind
	// Enum lists the stored values of an enum field.
	Enum []string
	// Relation is the related resource of a relation field; Many says it is a to-many one.
	Relation string
	Many     bool
}

// FilterFields lists the filterable fields and relations of a resource, by name; nil for a
// resource without a field map.
func FilterFields(resource string) []FilterField {
	r := filterResources[resource]
	if r == nil {
		return nil
	}
	var out []FilterField
	for n, fl := range r.fields {
		out = append(out, FilterField{Name: n, Kind: fl.kind, Enum: fl.values})
	}
	for n, rel := range r.relations {
		out = append(out, FilterField{Name: n, Relation: rel.target, Many: rel.many})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// FilterResources lists the resources with a field map.
func FilterResources() []string {
	out := make([]string, 0, len(filterResources))
	for n := range filterResources {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// whereNode is the parsed filter (the AST): its conditions all hold (AND).
type whereNode struct {
	conds []whereCond
	rels  []whereRel
	and   []*whereNode
	or    []*whereNode
	not   *whereNode
}

type whereCond struct {
	field filterField
	op    string
	val   any // string, int64, float64, time.Time, bool, or a slice of one of them; isNull: bool
}

type whereRel struct {
	rel   filterRelation
	quant string // "some", "none", "every"; "" for a to-one relation (the related row exists and matches)
	sub   *whereNode
}

// Filters are bounded: a filter is a condition of one statement, not a program.
const (
	maxWhereTerms = 200
	maxWhereDepth = 8
	maxWhereList  = 1000
)

type whereParser struct {
	s     *Store
	terms int
}

// parseWhere checks w against the resource's field map and returns its AST (nil for no filter).
func (s *Store) parseWhere(resource string, w Where) (*whereNode, error) {
	if len(w) == 0 {
		return nil, nil
	}
	r := filterResources[resource]
	if r == nil {
		return nil, fmt.Errorf("where: no field map for %s", resource)
	}
	p := &whereParser{s: s}
	return p.node(r, map[string]any(w), "where", 0)
}

func (p *whereParser) node(r *filterResource, m map[string]any, path string, depth int) (*whereNode, error) {
	if depth > maxWhereDepth {
		return nil, Invalidf("%s: the filter nests deeper than %d levels", path, maxWhereDepth)
	}
	n := &whereNode{}
	// Keys in order, so that the statement is the same for the same filter.
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m[k]
		if v == nil {
			continue // an input field given as null is no condition
		}
		sub := path + "." + k
		switch k {
		case "and", "or":
			list, ok := v.([]any)
			if !ok {
				if one, isMap := v.(map[string]any); isMap { // GraphQL's list coercion of one value
					list = []any{one}
				} else {
					return nil, Invalidf("%s must be a list of filters", sub)
				}
			}
			for i, item := range list {
				im, ok := item.(map[string]any)
				if !ok {
					return nil, Invalidf("%s[%d] must be a filter", sub, i)
				}
				c, err := p.node(r, im, fmt.Sprintf("%s[%d]", sub, i), depth+1)
				if err != nil {
					return nil, err
				}
				if k == "and" {
					n.and = append(n.and, c)
				} else {
					n.or = append(n.or, c)
				}
			}
			if k == "or" && len(list) == 0 {
				n.or = []*whereNode{} // or: [] holds for no row, as an empty disjunction
			}
		case "not":
			im, ok := v.(map[string]any)
			if !ok {
				return nil, Invalidf("%s must be a filter", sub)
			}
			c, err := p.node(r, im, sub, depth+1)
			if err != nil {
				return nil, err
			}
			n.not = c
		default:
			if fl, ok := r.fields[k]; ok {
				if fl.flagged && !p.s.Config.FeatureSalesChannels {
					return nil, Invalidf("%s: filtering on sales channels needs the sales channels feature", sub)
				}
				ops, ok := v.(map[string]any)
				if !ok {
					return nil, Invalidf("%s must be an object of comparisons", sub)
				}
				conds, err := p.conds(fl, ops, sub)
				if err != nil {
					return nil, err
				}
				n.conds = append(n.conds, conds...)
				continue
			}
			rel, ok := r.relations[k]
			if !ok {
				return nil, Invalidf("%s is not a field that can be filtered on", sub)
			}
			if rel.flagged && !p.s.Config.FeatureSalesChannels {
				return nil, Invalidf("%s: filtering on sales channels needs the sales channels feature", sub)
			}
			im, ok := v.(map[string]any)
			if !ok {
				return nil, Invalidf("%s must be a filter", sub)
			}
			target := filterResources[rel.target]
			if !rel.many {
				c, err := p.node(target, im, sub, depth+1)
				if err != nil {
					return nil, err
				}
				n.rels = append(n.rels, whereRel{rel: rel, sub: c})
				continue
			}
			qs := make([]string, 0, len(im))
			for q := range im {
				qs = append(qs, q)
			}
			sort.Strings(qs)
			for _, q := range qs {
				if q != "some" && q != "none" && q != "every" {
					return nil, Invalidf("%s.%s: a list relation takes some, none or every", sub, q)
				}
				if im[q] == nil {
					continue
				}
				qm, ok := im[q].(map[string]any)
				if !ok {
					return nil, Invalidf("%s.%s must be a filter", sub, q)
				}
				c, err := p.node(target, qm, sub+"."+q, depth+1)
				if err != nil {
					return nil, err
				}
				n.rels = append(n.rels, whereRel{rel: rel, quant: q, sub: c})
			}
		}
		p.terms++
		if p.terms > maxWhereTerms {
			return nil, Invalidf("where: a filter has at most %d terms", maxWhereTerms)
		}
	}
	return n, nil
}

func (p *whereParser) conds(fl filterField, ops map[string]any, path string) ([]whereCond, error) {
	names := make([]string, 0, len(ops))
	for op := range ops {
		names = append(names, op)
	}
	sort.Strings(names)
	var out []whereCond
	for _, op := range names {
		v := ops[op]
		sub := path + "." + op
		known := false
		for _, o := range FilterOps[fl.kind] {
			known = known || o == op
		}
		if !known {
			return nil, Invalidf("%s: %s is not a comparison of a %s field", sub, op, fl.kind)
		}
		if v == nil {
			continue
		}
		p.terms++
		var val any
		var err error
		switch op {
		case "isNull":
			b, ok := v.(bool)
			if !ok {
				return nil, Invalidf("%s must be a boolean", sub)
			}
			val = b
		case "in", "notIn":
			list, ok := v.([]any)
			if !ok {
				list = []any{v} // GraphQL's list coercion of one value
			}
			if len(list) > maxWhereList {
				return nil, Invalidf("%s: at most %d values", sub, maxWhereList)
			}
			vals := make([]any, len(list))
			for i, item := range list {
				if vals[i], err = filterValue(fl, item, fmt.Sprintf("%s[%d]", sub, i)); err != nil {
					return nil, err
				}
			}
			val = vals
		default:
			if val, err = filterValue(fl, v, sub); err != nil {
				return nil, err
			}
			if op == "contains" || op == "startsWith" {
				val = escapeLike(val.(string))
			}
		}
		out = append(out, whereCond{field: fl, op: op, val: val})
	}
	return out, nil
}

// filterValue converts one value of a comparison to the field's kind; GraphQL has already
// checked its type, the store checks again.
func filterValue(fl filterField, v any, path string) (any, error) {
	switch fl.kind {
	case KindString, KindID:
		s, ok := v.(string)
		if !ok {
			return nil, Invalidf("%s must be a string", path)
		}
		return s, nil
	case KindEnum:
		s, ok := v.(string)
		if !ok {
			return nil, Invalidf("%s must be an enum value", path)
		}
		s = strings.ToLower(s)
		for _, e := range fl.values {
			if e == s {
				return s, nil
			}
		}
		return nil, Invalidf("%s: %s is not a value of the field", path, strings.ToUpper(s))
	case KindBool:
		b, ok := v.(bool)
		if !ok {
			return nil, Invalidf("%s must be a boolean", path)
		}
		return b, nil
	case KindInt:
		var n int64
		switch x := v.(type) {
		case int64:
			n = x
		case int:
			n = int64(x)
		case int32:
			n = int64(x)
		case float64:
			if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
				return nil, Invalidf("%s must be an integer", path)
			}
			n = int64(x)
		case json.Number:
			i, err := strconv.ParseInt(string(x), 10, 64)
			if err != nil {
				return nil, Invalidf("%s must be an integer", path)
			}
			n = i
		default:
			return nil, Invalidf("%s must be an integer", path)
		}
		if n > math.MaxInt32 || n < math.MinInt32 {
			return nil, Invalidf("%s must be a 32-bit integer", path)
		}
		return n, nil
	case KindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		case int:
			return float64(x), nil
		case json.Number:
			fv, err := x.Float64()
			if err != nil {
				return nil, Invalidf("%s must be a number", path)
			}
			return fv, nil
		}
		return nil, Invalidf("%s must be a number", path)
	case KindTime:
		var t time.Time
		switch x := v.(type) {
		case time.Time:
			t = x
		case string:
			var err error
			if t, err = time.Parse(time.RFC3339Nano, x); err != nil {
				return nil, Invalidf("%s must be an ISO 8601 timestamp", path)
			}
		default:
			return nil, Invalidf("%s must be an ISO 8601 timestamp", path)
		}
		return filterTime(t.UTC()), nil
	}
	return nil, fmt.Errorf("where: unknown kind %s", fl.kind)
}

// escapeLike makes s match itself in a LIKE pattern (the escape character is backslash).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// whereSQL builds a condition: text of this file only, values as bun placeholders.
type whereSQL struct {
	b       strings.Builder
	args    []any
	aliases int
}

func (w *whereSQL) text(s string) { w.b.WriteString(s) }

func (w *whereSQL) arg(v any) {
	w.b.WriteString("?")
	w.args = append(w.args, v)
}

// list writes one placeholder per value.
func (w *whereSQL) list(fl filterField, vals []any) {
	for i, v := range vals {
		if i > 0 {
			w.text(", ")
		}
		w.value(fl, v)
	}
}

// value writes a placeholder for a value of field fl.
func (w *whereSQL) value(fl filterField, v any) {
	w.arg(v)
	if fl.real {
		w.text("::real")
	}
}

// node writes n on the table aliased alias.
func (w *whereSQL) node(n *whereNode, alias string) {
	parts := 0
	sep := func() {
		if parts > 0 {
			w.text(" AND ")
		}
		parts++
	}
	for _, c := range n.conds {
		sep()
		w.cond(c, alias)
	}
	for _, r := range n.rels {
		sep()
		w.rel(r, alias)
	}
	for _, a := range n.and {
		sep()
		w.text("(")
		w.node(a, alias)
		w.text(")")
	}
	if n.or != nil {
		sep()
		w.text("(")
		if len(n.or) == 0 {
			w.text("false")
		}
		for i, o := range n.or {
			if i > 0 {
				w.text(" OR ")
			}
			w.text("(")
			w.node(o, alias)
			w.text(")")
		}
		w.text(")")
	}
	if n.not != nil {
		sep()
		// A condition on a null column is unknown, and NOT unknown is unknown too: not {x} keeps
		// every row that {x} does not keep, null columns included.
		w.text("NOT COALESCE((")
		w.node(n.not, alias)
		w.text("), false)")
	}
	if parts == 0 {
		w.text("true")
	}
}

func (w *whereSQL) cond(c whereCond, alias string) {
	col := alias + "." + c.field.col
	switch c.op {
	case "isNull":
		if c.val.(bool) {
			w.text(col + " IS NULL")
		} else {
			w.text(col + " IS NOT NULL")
		}
	case "eq":
		w.text(col + " = ")
		w.value(c.field, c.val)
	case "ne":
		// ne keeps the rows whose value is null too, as not {eq} does.
		w.text(col + " IS DISTINCT FROM ")
		w.value(c.field, c.val)
	case "lt", "lte", "gt", "gte":
		w.text(col + map[string]string{"lt": " < ", "lte": " <= ", "gt": " > ", "gte": " >= "}[c.op])
		w.value(c.field, c.val)
	case "in":
		vals := c.val.([]any)
		if len(vals) == 0 {
			w.text("false")
			return
		}
		w.text(col + " IN (")
		w.list(c.field, vals)
		w.text(")")
	case "notIn":
		vals := c.val.([]any)
		if len(vals) == 0 {
			w.text("true")
			return
		}
		w.text("(" + col + " IS NULL OR " + col + " NOT IN (")
		w.list(c.field, vals)
		w.text("))")
	case "contains":
		w.text(col + " ILIKE ")
		w.arg("%" + c.val.(string) + "%")
	case "startsWith":
		w.text(col + " ILIKE ")
		w.arg(c.val.(string) + "%")
	}
}

func (w *whereSQL) rel(r whereRel, outer string) {
	w.aliases++
	inner := fmt.Sprintf("w%d", w.aliases)
	join := inner + "j"
	repl := strings.NewReplacer("{o}", outer, "{i}", inner, "{j}", join)
	target := filterResources[r.rel.target]
	if r.quant == "none" || r.quant == "every" {
		w.text("NOT ")
	}
	w.text("EXISTS (SELECT 1 FROM " + repl.Replace(r.rel.from) + " WHERE " + repl.Replace(r.rel.link) +
		" AND " + repl.Replace(target.live) + " AND ")
	if r.quant == "every" {
		// every: no related row fails the filter.
		w.text("NOT COALESCE((")
		w.node(r.sub, inner)
		w.text("), false)")
	} else {
		w.text("(")
		w.node(r.sub, inner)
		w.text(")")
	}
	w.text(")")
}

// applyWhere adds filter w of resource (whose table the list reads as the resource's alias) to q.
func (s *Store) applyWhere(q *bun.SelectQuery, resource string, w Where) (*bun.SelectQuery, error) {
	n, err := s.parseWhere(resource, w)
	if err != nil || n == nil {
		return q, err
	}
	var b whereSQL
	b.node(n, filterResources[resource].alias)
	return q.Where(b.b.String(), b.args...), nil
}

// whereCondition is the filter as SQL text with its placeholders' values, for a list that builds
// its statement by hand ("" for no filter).
func (s *Store) whereCondition(resource string, w Where) (string, []any, error) {
	return s.whereConditionAs(resource, filterResources[resource].alias, w)
}

// whereConditionAs is whereCondition on a statement that calls the resource's table alias.
func (s *Store) whereConditionAs(resource, alias string, w Where) (string, []any, error) {
	n, err := s.parseWhere(resource, w)
	if err != nil || n == nil {
		return "", nil, err
	}
	var b whereSQL
	b.node(n, alias)
	return b.b.String(), b.args, nil
}
