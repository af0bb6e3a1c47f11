#!/usr/bin/env bash
# Writes testdata/medusa_shop.json: the rows of a shop that the real Medusa 1.3.8 wrote (orders
# placed and acted on by store/totals/testdata/oracle/place_orders.py, with their customers,
# products, regions, discounts, gift cards, payments, fulfilments, returns, swaps and claims),
# read from a copy of the reference database (../shared/medusa-ref/clone-db.sh NAME), each
# table's rows in storage order (so that a loaded copy keeps Medusa's storage order of nested
# lists). Load them into a test database with ordertest.Load.
#
#   dump.sh postgres://postgres@127.0.0.1:5432/ordersread_cmp
set -euo pipefail
URL=${1:?usage: dump.sh DATABASE_URL}
OUT=$(dirname "$0")/testdata/medusa_shop.json
TABLES="region region_payment_providers region_fulfillment_providers sales_channel customer
customer_group customer_group_customers address product_type product_collection shipping_profile
product product_tag product_tags product_option product_variant product_option_value
money_amount image product_images product_sales_channel tax_rate product_tax_rate
product_type_tax_rate shipping_tax_rate shipping_option shipping_option_requirement
discount_rule discount discount_regions discount_condition discount_condition_product
gift_card cart cart_discounts cart_gift_cards draft_order order order_discounts order_gift_cards gift_card_transaction swap
claim_order line_item line_item_tax_line line_item_adjustment payment refund return
return_reason return_item claim_item claim_image claim_tag claim_item_tags fulfillment
fulfillment_item tracking_link shipping_method shipping_method_tax_line"
{
	echo "["
	first=1
	for t in $TABLES; do
		rows=$(psql "$URL" -qAtX -c "SELECT coalesce(json_agg(row_to_json(t) ORDER BY t.ctid), '[]') FROM \"$t\" t")
		[ $first = 1 ] || echo ","
		first=0
		printf '{"table": "%s", "rows": %s}' "$t" "$rows"
	done
	echo "]"
} | python3 -c 'import json,sys; json.dump(json.load(sys.stdin), sys.stdout, indent=0, sort_keys=False)' > "$OUT"
echo "wrote $OUT"
