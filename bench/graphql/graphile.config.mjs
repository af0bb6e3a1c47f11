// PostGraphile 5 for the side-by-side load test (run.sh copies this file beside the pinned
// install in the cache directory, so that the imports resolve there).
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { jsonPgSmartTags } from "postgraphile/utils";

// Medusa's schema has tables whose GraphQL names clash (product_tag and the join table
// product_tags, …): rename the join tables, which the benchmark does not read.
const MedusaNames = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      product_tags: { tags: { name: "product_tag_link" } },
      discount_condition: { tags: { name: "discount_cond" } },
    },
  },
});

export default {
  extends: [PostGraphileAmberPreset],
  plugins: [MedusaNames],
  // Medusa indexes few of the columns its lists filter and sort on (Gorgon adds its own indexes,
  // which PostGraphile sees too): expose every column's orderBy and condition, as Gorgon does.
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: Number(process.env.PG5_POOL_SIZE || 32) },
    }),
  ],
  grafserv: { port: Number(process.env.PG5_PORT || 9204), host: "127.0.0.1" },
};
