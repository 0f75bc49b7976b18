/// The practice dataset's schema: a fictional online shop, "Fernhill Supply", whose tables are
/// shaped like a real shop's — keys, indexes, and NULLs that mean something — so that what a
/// learner writes here is what they will write at work.
public enum ShopSchema {
    /// Tables in the order they are created and filled (parents before children).
    public static let tables: [TableDefinition] = [
        TableDefinition(
            "categories", "A product category; categories form a tree (Home & Kitchen › Cookware › Pans).",
            columns: [
                ColumnDefinition("id", .integer, primaryKey: true, "Category number."),
                ColumnDefinition("name", .text, unique: true, "Category name."),
                ColumnDefinition(
                    "parent_id", .integer, nullable: true, references: ("categories", "id"), "The enclosing category; NULL for a top-level category."),
            ]),
        TableDefinition(
            "products", "Something the shop sells.",
            columns: [
                ColumnDefinition("id", .integer, primaryKey: true, "Product number."),
                ColumnDefinition("sku", .text, unique: true, "Stock-keeping unit, e.g. KET-0003."),
                ColumnDefinition("name", .text, "Product name."),
                ColumnDefinition("category_id", .integer, references: ("categories", "id"), "The (most specific) category."),
                ColumnDefinition("price_cents", .integer, check: "price_cents > 0", "Current list price in euro cents (1999 is €19.99)."),
                ColumnDefinition("weight_grams", .integer, nullable: true, "Shipping weight; NULL when not measured yet."),
                ColumnDefinition("added_on", .text, "Date it went on sale (YYYY-MM-DD)."),
                ColumnDefinition("discontinued_on", .text, nullable: true, "Date it stopped being sold; NULL while it is still sold."),
            ], indexes: [IndexDefinition("products_by_category", on: ["category_id"])]),
        TableDefinition(
            "customers", "Someone with an account.",
            columns: [
                ColumnDefinition("id", .integer, primaryKey: true, "Customer number, in sign-up order."),
                ColumnDefinition("first_name", .text, "First name."),
                ColumnDefinition("last_name", .text, "Last name."),
                ColumnDefinition("email", .text, unique: true, "Email address (unique as typed, so a different capitalisation slips through)."),
                ColumnDefinition("phone", .text, nullable: true, "Phone number; NULL when the customer gave none."),
                ColumnDefinition("country", .text, "Two-letter country code (GB, FR, DE, …)."),
                ColumnDefinition("signed_up_on", .text, "Date the account was created (YYYY-MM-DD)."),
                ColumnDefinition(
                    "referred_by", .integer, nullable: true, references: ("customers", "id"),
                    "The customer who recommended the shop; NULL when none did."),
            ]),
        TableDefinition(
            "addresses", "A postal address of a customer (billing or shipping).",
            columns: [
                ColumnDefinition("id", .integer, primaryKey: true, "Address number."),
                ColumnDefinition("customer_id", .integer, references: ("customers", "id"), "Whose address it is."),
                ColumnDefinition("kind", .text, check: "kind IN ('billing', 'shipping')", "'billing' or 'shipping'."),
                ColumnDefinition("line1", .text, "Street and number."),
                ColumnDefinition("city", .text, "City."),
                ColumnDefinition("postcode", .text, "Postcode."),
                ColumnDefinition("country", .text, "Two-letter country code."),
            ], indexes: [IndexDefinition("addresses_by_customer", on: ["customer_id"])]),
        TableDefinition(
            "warehouses", "A warehouse that holds stock.",
            columns: [
                ColumnDefinition("id", .integer, primaryKey: true, "Warehouse number."),
                ColumnDefinition("name", .text, unique: true, "Warehouse name."),
                ColumnDefinition("city", .text, "City."),
                ColumnDefinition("country", .text, "Two-letter country code."),
            ]),
        TableDefinition(
            "employees", "Someone who works for the shop; managers form a tree up to the chief executive.",
            columns: [
                ColumnDefinition("id", .integer, primaryKey: true, "Employee number."),
                ColumnDefinition("first_name", .text, "First name."),
                ColumnDefinition("last_name", .text, "Last name."),
                ColumnDefinition("title", .text, "Job title."),
                ColumnDefinition(
                    "manager_id", .integer, nullable: true, references: ("employees", "id"), "Their manager; NULL only for the chief executive."),
                ColumnDefinition(
                    "warehouse_id", .integer, nullable: true, references: ("warehouses", "id"), "Where they work; NULL for office staff."),
                ColumnDefinition("hired_on", .text, "Date they were hired (YYYY-MM-DD)."),
                ColumnDefinition("salary_cents", .integer, "Yearly salary in euro cents."),
            ], indexes: [IndexDefinition("employees_by_manager", on: ["manager_id"])]),
        TableDefinition(
            "stock", "How many units of a product a warehouse holds.",
            columns: [
                ColumnDefinition("warehouse_id", .integer, references: ("warehouses", "id"), "The warehouse."),
                ColumnDefinition("product_id", .integer, references: ("products", "id"), "The product."),
                ColumnDefinition("quantity", .integer, check: "quantity >= 0", "Units on the shelf (0 means sold out there)."),
            ], compositeKey: ["warehouse_id", "product_id"]),
        TableDefinition(
            "orders", "A customer's order.",
            columns: [
                ColumnDefinition("id", .integer, primaryKey: true, "Order number, in the order they were placed."),
                ColumnDefinition("customer_id", .integer, references: ("customers", "id"), "Who ordered."),
                ColumnDefinition("placed_at", .text, "When it was placed (YYYY-MM-DD HH:MM:SS, UTC)."),
                ColumnDefinition(
                    "status", .text, check: "status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')",
                    "pending, paid, shipped, delivered, cancelled or refunded."),
                ColumnDefinition(
                    "shipping_address_id", .integer, nullable: true, references: ("addresses", "id"),
                    "Where it goes; NULL when the customer has no address on file."),
                ColumnDefinition("shipped_at", .text, nullable: true, "When it left the warehouse; NULL while it has not shipped."),
                ColumnDefinition(
                    "handled_by", .integer, nullable: true, references: ("employees", "id"),
                    "The customer-service employee who dealt with it; NULL when nobody had to."),
            ], indexes: [IndexDefinition("orders_by_customer", on: ["customer_id"]), IndexDefinition("orders_by_placed_at", on: ["placed_at"])]),
        TableDefinition(
            "order_items", "One product in an order.",
            columns: [
                ColumnDefinition("order_id", .integer, references: ("orders", "id"), "The order."),
                ColumnDefinition("product_id", .integer, references: ("products", "id"), "The product."),
                ColumnDefinition("quantity", .integer, check: "quantity > 0", "Units ordered."),
                ColumnDefinition(
                    "unit_price_cents", .integer, "Price per unit actually charged, in cents (a discount makes it lower than the list price)."),
            ], compositeKey: ["order_id", "product_id"], indexes: [IndexDefinition("order_items_by_product", on: ["product_id"])]),
        TableDefinition(
            "payments", "Money received for an order (a refund is a negative amount).",
            columns: [
                ColumnDefinition("id", .integer, primaryKey: true, "Payment number."),
                ColumnDefinition("order_id", .integer, references: ("orders", "id"), "The order paid for."),
                ColumnDefinition("paid_at", .text, "When it was received (YYYY-MM-DD HH:MM:SS, UTC)."),
                ColumnDefinition(
                    "method", .text, check: "method IN ('card', 'paypal', 'bank_transfer', 'gift_card')", "card, paypal, bank_transfer or gift_card."),
                ColumnDefinition("amount_cents", .integer, "Amount in cents; negative for a refund."),
            ], indexes: [IndexDefinition("payments_by_order", on: ["order_id"])]),
        TableDefinition(
            "reviews", "A customer's rating of a product.",
            columns: [
                ColumnDefinition("id", .integer, primaryKey: true, "Review number."),
                ColumnDefinition("product_id", .integer, references: ("products", "id"), "The product reviewed."),
                ColumnDefinition("customer_id", .integer, references: ("customers", "id"), "Who wrote it (one review per customer and product)."),
                ColumnDefinition("rating", .integer, check: "rating BETWEEN 1 AND 5", "1 to 5 stars."),
                ColumnDefinition("title", .text, nullable: true, "Headline; NULL when left empty."),
                ColumnDefinition("body", .text, nullable: true, "Text; NULL for a rating without words."),
                ColumnDefinition("created_on", .text, "Date written (YYYY-MM-DD)."),
            ], indexes: [IndexDefinition("reviews_one_per_customer", on: ["product_id", "customer_id"], unique: true)]),
    ]

    /// Every statement that creates the schema, tables first, then indexes.
    static var createStatements: [String] {
        var statements = tables.map(\.createStatement)
        statements += tables.flatMap { table in
            table.indexes.map { "CREATE \($0.isUnique ? "UNIQUE " : "")INDEX \($0.name) ON \(table.name) (\($0.columns.joined(separator: ", ")))" }
        }
        return statements
    }

    /// The names of the indexes the dataset ships with (automatic ones for keys are named `sqlite_autoindex_…`).
    static var shippedIndexNames: Set<String> {
        Set(tables.flatMap { $0.indexes.map(\.name) })
    }
}
