import ContentKit

/// Orders with their items, payments and reviews, then the stock left in each warehouse.
extension ShopGenerator {
    mutating func makeOrders() {
        let days = Self.firstDay.daysSinceEpoch...Self.lastDay.daysSinceEpoch
        let weights = days.map { Self.orderWeight(on: CalendarDay(daysSinceEpoch: $0)) }
        let scale = Double(Self.orderTarget) / weights.reduce(0, +)
        var reviewed = Set<[Int]>()
        var purchased = Set<[Int]>()
        var reviews: [(day: CalendarDay, row: [SQLValue])] = []
        var orderID = 0
        var eligible = 0
        var activityTotals: [Double] = []

        for (offset, dayNumber) in days.enumerated() {
            let day = CalendarDay(daysSinceEpoch: dayNumber)
            while eligible < customers.count, customers[eligible].signedUpOn <= day {
                activityTotals.append((activityTotals.last ?? 0) + customers[eligible].activity)
                eligible += 1
            }
            // A binomial count with this mean: days vary the way real days do (some even have no order).
            let mean = weights[offset] * scale
            let count = (0..<40).filter { _ in random.chance(mean / 40) }.count
            let seconds = (0..<count).map { _ in random.int(0...86_399) }.sorted()
            for second in seconds where eligible > 0 {
                orderID += 1
                let customer = customers[Self.index(in: activityTotals, at: random.unit() * activityTotals[eligible - 1])]
                let placed = day.timestamp(atSecond: second)
                let age = Self.lastDay.daysSinceEpoch - dayNumber
                let status = orderStatus(age: age)
                var shipped: String?
                var shippedDay: CalendarDay?
                if ["shipped", "delivered", "refunded"].contains(status) {
                    let shipDay = min(day.adding(days: random.int(1...4)), Self.lastDay)
                    shippedDay = shipDay
                    shipped = shipDay.timestamp(atSecond: shipDay == day ? min(86_399, second + 3_600) : random.int(28_800...64_800))
                }
                let handledBy = ["cancelled", "refunded"].contains(status) || random.chance(0.08) ? random.pick(customerServiceAgents) : nil
                append(
                    "orders",
                    [
                        SQLValue(orderID), SQLValue(customer.id), .text(placed), .text(status),
                        SQLValue(customer.shippingAddressID ?? customer.billingAddressID), SQLValue(shipped), SQLValue(handledBy),
                    ])
                let total = addItems(orderID: orderID, on: day)
                for product in itemsOf(orderID) { purchased.insert([product, customer.id]) }
                if ["paid", "shipped", "delivered", "refunded"].contains(status) {
                    addPayments(orderID: orderID, total: total, day: day, second: second, refundAfter: status == "refunded" ? shippedDay : nil)
                }
                if status == "delivered", let shippedDay {
                    for product in itemsOf(orderID) where random.chance(0.22) && reviewed.insert([product, customer.id]).inserted {
                        let written = min(shippedDay.adding(days: random.int(2...30)), Self.lastDay)
                        reviews.append((written, reviewRow(product: product, customer: customer.id, on: written)))
                    }
                }
            }
        }
        reviews += strangersReviews(reviewed: &reviewed, purchased: purchased)
        for (index, review) in reviews.sorted(by: { $0.day < $1.day }).enumerated() {
            append("reviews", [SQLValue(index + 1)] + review.row)
        }
        makeStock()
    }

    /// Orders per day, relative: growing over the three years, busier in November and December and at weekends.
    static func orderWeight(on day: CalendarDay) -> Double {
        let month = day.month
        let progress = Double(day.daysSinceEpoch - firstDay.daysSinceEpoch) / Double(lastDay.daysSinceEpoch - firstDay.daysSinceEpoch)
        let season: Double = month == 12 ? 1.8 : month == 11 ? 1.4 : month == 1 ? 0.7 : 1
        // 1970-01-01 was a Thursday: days 2 and 3 after it, modulo 7, are Saturday and Sunday.
        let weekend = [2, 3].contains(day.daysSinceEpoch % 7) ? 1.2 : 1
        return (1 + 1.5 * progress) * season * weekend
    }

    /// The first index whose running total exceeds `target` (a weighted pick by binary search).
    static func index(in runningTotals: [Double], at target: Double) -> Int {
        var low = 0
        var high = runningTotals.count - 1
        while low < high {
            let middle = (low + high) / 2
            if runningTotals[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Old orders are mostly delivered; the last fortnight's are still on their way.
    private mutating func orderStatus(age: Int) -> String {
        let (statuses, weights): ([String], [Double]) =
            switch age {
            case 15...: (["delivered", "cancelled", "refunded", "shipped"], [90, 5, 3, 2])
            case 6...14: (["delivered", "shipped", "cancelled", "paid"], [50, 40, 5, 5])
            default: (["pending", "paid", "shipped", "cancelled"], [30, 35, 30, 5])
            }
        return statuses[random.weighted(weights)]
    }

    /// One to five different products on sale that day; returns the order's total in cents.
    private mutating func addItems(orderID: Int, on day: CalendarDay) -> Int {
        let onSale = products.filter { $0.isOnSale(on: day) && $0.popularity > 0 }
        var totals: [Double] = []
        for product in onSale { totals.append((totals.last ?? 0) + product.popularity) }
        var chosen = Set<Int>()
        var total = 0
        for _ in 0...random.weighted([45, 30, 15, 7, 3]) {
            let product = onSale[Self.index(in: totals, at: random.unit() * (totals.last ?? 0))]
            guard chosen.insert(product.id).inserted else { continue }
            let quantity = random.weighted([75, 18, 7]) + 1
            let discount = random.chance(0.12) ? random.pick([10, 20]) : 0
            let unitPrice = product.priceCents * (100 - discount) / 100
            total += quantity * unitPrice
            append("order_items", [SQLValue(orderID), SQLValue(product.id), SQLValue(quantity), SQLValue(unitPrice)])
        }
        return total
    }

    private func itemsOf(_ orderID: Int) -> [Int] {
        (data.rows["order_items"] ?? []).reversed().prefix { $0[0] == SQLValue(orderID) }.compactMap {
            if case .integer(let product) = $0[1] { Int(product) } else { nil }
        }
    }

    /// Usually one payment; sometimes a gift card covers part and a card the rest; a refund pays it all back.
    private mutating func addPayments(orderID: Int, total: Int, day: CalendarDay, second: Int, refundAfter shipped: CalendarDay?) {
        func pay(_ method: String, _ amount: Int, on day: CalendarDay, at second: Int) {
            let id = (data.rows["payments"]?.count ?? 0) + 1
            append(
                "payments", [SQLValue(id), SQLValue(orderID), .text(day.timestamp(atSecond: min(86_399, second))), .text(method), SQLValue(amount)])
        }
        let paidAt = second + random.int(30...3_600)
        var method = ["card", "paypal", "bank_transfer"][random.weighted([60, 28, 12])]
        if random.chance(0.08) {
            let voucher = min(total, random.pick([1_000, 2_500, 5_000]))
            pay("gift_card", voucher, on: day, at: paidAt)
            if total > voucher { pay("card", total - voucher, on: day, at: paidAt + 5) }
        } else {
            let paidDay = method == "bank_transfer" ? min(day.adding(days: random.int(1...3)), Self.lastDay) : day
            pay(method, total, on: paidDay, at: paidDay == day ? paidAt : random.int(32_400...61_200))
        }
        if let shipped {
            method = method == "bank_transfer" ? "bank_transfer" : "card"
            pay(method, -total, on: min(shipped.adding(days: random.int(7...30)), Self.lastDay), at: random.int(32_400...61_200))
        }
    }

    /// The row of a review without its id (ids follow the order reviews were written in).
    private mutating func reviewRow(product: Int, customer: Int, on day: CalendarDay) -> [SQLValue] {
        let quality = products[product - 1].quality
        let noise = (random.unit() + random.unit() + random.unit() - 1.5) * 1.4
        let rating = min(5, max(1, Int((quality + noise).rounded())))
        let title = random.chance(0.8) ? random.pick(NameLists.reviewTitles[rating] ?? []) : nil
        let body = random.chance(0.5) ? random.pick(NameLists.reviewBodies[rating] ?? []) : nil
        return [SQLValue(product), SQLValue(customer), SQLValue(rating), SQLValue(title), SQLValue(body), .text(day.iso)]
    }

    /// A few reviews by people who never bought the product (a real shop's moderation problem).
    private mutating func strangersReviews(reviewed: inout Set<[Int]>, purchased: Set<[Int]>) -> [(day: CalendarDay, row: [SQLValue])] {
        var reviews: [(day: CalendarDay, row: [SQLValue])] = []
        while reviews.count < 30 {
            let product = products[random.int(0...products.count - 1)]
            let customer = customers[random.int(0...customers.count - 1)]
            let day = max(product.addedOn, customer.signedUpOn).adding(days: random.int(1...60))
            let pair = [product.id, customer.id]
            guard day <= Self.lastDay, !purchased.contains(pair), reviewed.insert(pair).inserted else { continue }
            reviews.append((day, reviewRow(product: product.id, customer: customer.id, on: day)))
        }
        return reviews
    }

    /// Units per warehouse: most products in two to four warehouses, discontinued ones nearly gone.
    private mutating func makeStock() {
        for product in products {
            let warehouses: [Int]
            if product.discontinuedOn != nil {
                warehouses = random.chance(0.6) ? [] : [random.pick(warehouseIDs)]
            } else if random.chance(0.03) {
                warehouses = []
            } else {
                var pool = warehouseIDs
                warehouses = (0..<random.int(2...4)).map { _ in pool.remove(at: random.int(0...pool.count - 1)) }.sorted()
            }
            for warehouse in warehouses {
                let quantity = product.discontinuedOn != nil ? random.int(0...20) : random.chance(0.1) ? 0 : random.int(1...400)
                append("stock", [SQLValue(warehouse), SQLValue(product.id), SQLValue(quantity)])
            }
        }
    }
}
