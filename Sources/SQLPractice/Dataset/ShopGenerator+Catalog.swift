import ContentKit

/// Categories, products, warehouses and employees: the shop's fixed shape, with names, prices and
/// dates drawn from the seed.
extension ShopGenerator {
    /// id, name, parent id.
    static let categoryTree: [(Int, String, Int?)] = [
        (1, "Home & Kitchen", nil), (2, "Kitchen appliances", 1), (3, "Kettles", 2), (4, "Coffee makers", 2), (5, "Toasters", 2),
        (6, "Cookware", 1), (7, "Pans", 6), (8, "Knives", 6),
        (9, "Electronics", nil), (10, "Audio", 9), (11, "Headphones", 10), (12, "Speakers", 10),
        (13, "Computer accessories", 9), (14, "Keyboards", 13), (15, "Mice", 13), (16, "Chargers & cables", 13),
        (17, "Outdoors", nil), (18, "Camping", 17), (19, "Tents", 18), (20, "Sleeping bags", 18), (21, "Backpacks", 17),
        (22, "Books", nil), (23, "Fiction", 22), (24, "Non-fiction", 22), (25, "Programming", 24), (26, "Cooking", 24),
        (27, "Garden", nil), (28, "Seeds", 27), (29, "Gift cards", nil),
    ]

    /// A leaf category's product line: SKU prefix, names, price range in euros, weight range in grams.
    struct ProductLine {
        let categoryID: Int
        let sku: String
        let names: [String]
        let euros: ClosedRange<Int>
        let grams: ClosedRange<Int>
    }

    static var productLines: [ProductLine] {
        func branded(_ nouns: [String]) -> [String] { nouns.flatMap { noun in NameLists.brands.map { "\($0) \(noun)" } } }
        let fiction = NameLists.bookAdjectives.flatMap { adjective in NameLists.bookNouns.map { "The \(adjective) \($0)" } }
        let programming = NameLists.programmingForms.flatMap { form in NameLists.programmingTopics.map { "\(form) \($0)" } }
        let cooking = NameLists.cuisines.flatMap { cuisine in NameLists.cookingForms.map { "\(cuisine) \($0)" } }
        let seeds = ["Tomato", "Basil", "Sunflower", "Carrot", "Lettuce", "Chilli", "Pea", "Courgette", "Radish", "Lavender"].map { "\($0) Seeds" }
        return [
            ProductLine(
                categoryID: 3, sku: "KET", names: branded(["Glass Kettle", "Travel Kettle", "Gooseneck Kettle", "Steel Kettle"]), euros: 20...90,
                grams: 700...1600),
            ProductLine(
                categoryID: 4, sku: "COF", names: branded(["Drip Coffee Maker", "Espresso Machine", "French Press", "Moka Pot"]), euros: 15...480,
                grams: 500...9000),
            ProductLine(categoryID: 5, sku: "TOA", names: branded(["2-Slice Toaster", "4-Slice Toaster"]), euros: 20...80, grams: 1200...2800),
            ProductLine(
                categoryID: 7, sku: "PAN", names: branded(["Frying Pan 24 cm", "Frying Pan 28 cm", "Saucepan", "Wok", "Grill Pan"]), euros: 15...90,
                grams: 900...3200),
            ProductLine(
                categoryID: 8, sku: "KNI", names: branded(["Chef's Knife", "Bread Knife", "Paring Knife", "Knife Set"]), euros: 10...200,
                grams: 100...2500),
            ProductLine(
                categoryID: 11, sku: "HEA", names: branded(["Wireless Headphones", "Earbuds", "Studio Headphones"]), euros: 20...350, grams: 40...400),
            ProductLine(
                categoryID: 12, sku: "SPK", names: branded(["Bluetooth Speaker", "Bookshelf Speakers", "Smart Speaker"]), euros: 30...300,
                grams: 300...7000),
            ProductLine(
                categoryID: 14, sku: "KEY", names: branded(["Mechanical Keyboard", "Compact Keyboard", "Wireless Keyboard"]), euros: 25...190,
                grams: 400...1300),
            ProductLine(
                categoryID: 15, sku: "MOU", names: branded(["Wireless Mouse", "Gaming Mouse", "Vertical Mouse"]), euros: 10...90, grams: 60...200),
            ProductLine(
                categoryID: 16, sku: "CHG", names: branded(["USB-C Cable 1 m", "USB-C Cable 2 m", "65 W Charger", "Power Bank"]), euros: 5...60,
                grams: 30...450),
            ProductLine(
                categoryID: 19, sku: "TEN", names: branded(["2-Person Tent", "4-Person Tent", "Ultralight Tent"]), euros: 50...600, grams: 900...9000),
            ProductLine(
                categoryID: 20, sku: "SLP", names: branded(["Summer Sleeping Bag", "3-Season Sleeping Bag", "Winter Sleeping Bag"]), euros: 30...300,
                grams: 700...2500),
            ProductLine(
                categoryID: 21, sku: "BAG", names: branded(["Daypack 20 L", "Hiking Pack 40 L", "Trekking Pack 65 L"]), euros: 25...250,
                grams: 500...2400),
            ProductLine(categoryID: 23, sku: "FIC", names: fiction, euros: 8...30, grams: 250...800),
            ProductLine(categoryID: 25, sku: "PRG", names: programming, euros: 20...60, grams: 400...1200),
            ProductLine(categoryID: 26, sku: "COK", names: cooking, euros: 15...40, grams: 600...1500),
            ProductLine(categoryID: 28, sku: "SED", names: seeds, euros: 2...10, grams: 10...50),
        ]
    }

    mutating func makeCategoriesAndProducts() {
        for (id, name, parent) in Self.categoryTree {
            append("categories", [SQLValue(id), .text(name), SQLValue(parent)])
        }
        let lastAdded = CalendarDay(year: 2024, month: 10, day: 1)
        for line in Self.productLines {
            var names = line.names
            let count = min(names.count, line.categoryID == 28 ? 10 : random.int(12...18))
            for number in 1...count {
                let id = products.count + 1
                let name = names.remove(at: random.int(0...names.count - 1))
                let euros = random.int(line.euros)
                let price = random.chance(0.2) ? euros * 100 + 49 : euros * 100 - 1
                let added = CalendarDay(year: 2021, month: 3, day: 1).adding(
                    days: random.int(0...(lastAdded.daysSinceEpoch - CalendarDay(year: 2021, month: 3, day: 1).daysSinceEpoch)))
                var discontinued: CalendarDay?
                if random.chance(0.08) {
                    discontinued = min(added.adding(days: random.int(200...800)), CalendarDay(year: 2024, month: 12, day: 1))
                }
                let popularity = random.chance(0.04) ? 0 : 0.2 + 3 * random.unit() * random.unit()
                let quality = min(4.9, max(1.5, 3.7 + (random.unit() + random.unit() + random.unit() - 1.5) * 1.6))
                products.append(
                    Product(id: id, priceCents: price, addedOn: added, discontinuedOn: discontinued, popularity: popularity, quality: quality))
                append(
                    "products",
                    [
                        SQLValue(id), .text("\(line.sku)-\(String(number).leftPadded(to: 4))"), .text(name), SQLValue(line.categoryID),
                        SQLValue(price), random.chance(0.06) ? .null : SQLValue(random.int(line.grams)), .text(added.iso),
                        SQLValue(discontinued?.iso),
                    ])
            }
        }
    }

    mutating func makeWarehousesAndEmployees() {
        let warehouses = [
            ("London Central", "London", "GB"), ("Lyon Hub", "Lyon", "FR"), ("Hamburg North", "Hamburg", "DE"),
            ("Madrid Sur", "Madrid", "ES"), ("Rotterdam Port", "Rotterdam", "NL"),
        ]
        for (index, warehouse) in warehouses.enumerated() {
            append("warehouses", [SQLValue(index + 1), .text(warehouse.0), .text(warehouse.1), .text(warehouse.2)])
            warehouseIDs.append(index + 1)
        }

        var hired: [Int: CalendarDay] = [:]
        /// Adds an employee with a yearly salary in `euros` (rounded to hundreds) and returns their id.
        func hire(_ title: String, manager: Int?, warehouse: Int?, euros: ClosedRange<Int>) -> Int {
            let id = (data.rows["employees"]?.count ?? 0) + 1
            let earliest = manager.flatMap { hired[$0] } ?? CalendarDay(year: 2015, month: 3, day: 2)
            let day = manager == nil ? earliest : earliest.adding(days: random.int(30...900))
            hired[id] = day
            append(
                "employees",
                [
                    SQLValue(id), .text(random.pick(NameLists.firstNames)), .text(random.pick(NameLists.lastNames)), .text(title),
                    SQLValue(manager), SQLValue(warehouse), .text(day.iso), SQLValue(random.int(euros) / 100 * 10_000),
                ])
            return id
        }
        let chief = hire("Chief Executive Officer", manager: nil, warehouse: nil, euros: 150_000...180_000)
        let operations = hire("Chief Operating Officer", manager: chief, warehouse: nil, euros: 110_000...130_000)
        let technology = hire("Chief Technology Officer", manager: chief, warehouse: nil, euros: 110_000...130_000)
        let finance = hire("Chief Financial Officer", manager: chief, warehouse: nil, euros: 110_000...130_000)
        let warehouseManagers = warehouseIDs.map { hire("Warehouse Manager", manager: operations, warehouse: $0, euros: 50_000...68_000) }
        let serviceLead = hire("Head of Customer Service", manager: operations, warehouse: nil, euros: 50_000...68_000)
        customerServiceAgents = (1...8).map { _ in hire("Customer Service Agent", manager: serviceLead, warehouse: nil, euros: 28_000...36_000) }
        for _ in 1...4 { _ = hire("Software Engineer", manager: technology, warehouse: nil, euros: 55_000...85_000) }
        _ = hire("Data Analyst", manager: technology, warehouse: nil, euros: 42_000...52_000)
        for _ in 1...2 { _ = hire("Accountant", manager: finance, warehouse: nil, euros: 38_000...50_000) }
        for (warehouse, manager) in zip(warehouseIDs, warehouseManagers) {
            let lead = warehouse <= 2 ? hire("Shift Lead", manager: manager, warehouse: warehouse, euros: 36_000...44_000) : manager
            for _ in 1...random.int(3...4) { _ = hire("Warehouse Operative", manager: lead, warehouse: warehouse, euros: 26_000...34_000) }
        }
    }
}
