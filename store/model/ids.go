package model

// IDPrefixes maps each table whose ids Medusa generates to the prefix of those ids
// (generateEntityId(id, prefix) in Medusa's entities: "reg" gives reg_01G…). Tables keyed by
// something else (country, currency, providers, join tables, migrations) are absent.
var IDPrefixes = map[string]string{
	"address":                     "addr",
	"batch_job":                   "batch",
	"cart":                        "cart",
	"claim_image":                 "cimg",
	"claim_item":                  "citm",
	"claim_order":                 "claim",
	"claim_tag":                   "ctag",
	"custom_shipping_option":      "cso",
	"customer":                    "cus",
	"customer_group":              "cgrp",
	"discount":                    "disc",
	"discount_condition":          "discon",
	"discount_rule":               "dru",
	"draft_order":                 "dorder",
	"fulfillment":                 "ful",
	"gift_card":                   "gift",
	"gift_card_transaction":       "gct",
	"idempotency_key":             "ikey",
	"image":                       "img",
	"invite":                      "invite",
	"line_item":                   "item",
	"line_item_adjustment":        "lia",
	"line_item_tax_line":          "litl",
	"money_amount":                "ma",
	"note":                        "note",
	"notification":                "noti",
	"oauth":                       "oauth",
	"order":                       "order",
	"payment":                     "pay",
	"payment_session":             "ps",
	"price_list":                  "pl",
	"product":                     "prod",
	"product_collection":          "pcol",
	"product_option":              "opt",
	"product_option_value":        "optval",
	"product_tag":                 "ptag",
	"product_type":                "ptyp",
	"product_variant":             "variant",
	"refund":                      "ref",
	"region":                      "reg",
	"return":                      "ret",
	"return_reason":               "rr",
	"sales_channel":               "sc",
	"shipping_method":             "sm",
	"shipping_method_tax_line":    "smtl",
	"shipping_option":             "so",
	"shipping_option_requirement": "sor",
	"shipping_profile":            "sp",
	"staged_job":                  "job",
	"store":                       "store",
	"swap":                        "swap",
	"tax_rate":                    "txr",
	"tracking_link":               "tlink",
	"user":                        "usr",
}

var tableByPrefix = func() map[string]string {
	m := make(map[string]string, len(IDPrefixes))
	for table, prefix := range IDPrefixes {
		m[prefix] = table
	}
	return m
}()

// TableForPrefix returns the table whose ids carry prefix ("reg" → "region").
func TableForPrefix(prefix string) (string, bool) {
	t, ok := tableByPrefix[prefix]
	return t, ok
}
