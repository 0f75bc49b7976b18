import ContentKit

/// Every row of the practice dataset, by table name, values in the column order of ``ShopSchema``.
struct ShopData {
    var rows: [String: [[SQLValue]]] = [:]
}

/// Makes the shop's rows from a seed: three years of customers, orders, payments and reviews
/// (2022-01-01 to 2024-12-31) with the skew real shops have — a few bestsellers, a few customers
/// who order all the time, quiet Januaries and busy Decembers — and the NULLs real data has.
///
/// Only ``SeededRandom`` and integer date arithmetic are used, so a seed always gives the same rows.
struct ShopGenerator {
    static let firstDay = CalendarDay(year: 2022, month: 1, day: 1)
    static let lastDay = CalendarDay(year: 2024, month: 12, day: 31)
    static let customerCount = 1_500
    static let orderTarget = 5_000

    var random: SeededRandom
    var data = ShopData()

    // What later tables need to know about earlier ones.
    var products: [Product] = []
    var customers: [Customer] = []
    var customerServiceAgents: [Int] = []
    var warehouseIDs: [Int] = []

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    static func generate(seed: UInt64) -> ShopData {
        var generator = ShopGenerator(seed: seed)
        generator.makeCategoriesAndProducts()
        generator.makeWarehousesAndEmployees()
        generator.makeCustomers()
        generator.makeOrders()
        return generator.data
    }

    mutating func append(_ table: String, _ row: [SQLValue]) {
        data.rows[table, default: []].append(row)
    }
}

/// What the generator remembers about a product while it makes orders and reviews.
struct Product {
    let id: Int
    let priceCents: Int
    let addedOn: CalendarDay
    let discontinuedOn: CalendarDay?
    /// How often it sells, relative to the others (0: never).
    let popularity: Double
    /// The rating its reviews centre on.
    let quality: Double

    func isOnSale(on day: CalendarDay) -> Bool {
        addedOn <= day && (discontinuedOn.map { day < $0 } ?? true)
    }
}

/// What the generator remembers about a customer while it makes orders.
struct Customer {
    let id: Int
    let signedUpOn: CalendarDay
    /// How often they order, relative to the others (0: never).
    let activity: Double
    let billingAddressID: Int?
    let shippingAddressID: Int?
}

extension SQLValue {
    init(_ text: String?) { self = text.map(SQLValue.text) ?? .null }
    init(_ number: Int?) { self = number.map { .integer(Int64($0)) } ?? .null }
}
