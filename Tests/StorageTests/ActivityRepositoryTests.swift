import Foundation
import Learning
import Storage
import TestSupport
import Testing

/// The activity calendar's counts, read from what is already stored, on both databases.
@Suite("Activity per day", .serialized)
struct ActivityRepositoryTests {
    static let day: Int64 = 86_400
    /// Noon on a day long ago, so "today" never gets in the way.
    static let monday: Int64 = 20_000 * day + day / 2

    @Test(
        "questions answered, lab runs, SQL exercises and progress changes add up per day; others' and older days are left out",
        arguments: DatabaseKind.allCases)
    func countsPerDay(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let users = SQLUserRepository(database: database)
                let learner = try await users.ensure(id: "personal", email: "learner@localhost").id
                let other = try await users.ensure(id: "other", email: "other@localhost").id
                let quiz = SQLQuizRepository(database: database)
                let answers = (0..<3).map { QuizAnswer(questionIndex: $0, promptHash: "h\($0)", isCorrect: $0 == 0) }
                // setup: on day 20 000 a quiz of 3 questions and a lab run; on day 20 001 a SQL exercise (twice:
                // one row) and another learner's quiz; one quiz before the window
                _ = try await quiz.recordAttempt(learnerID: learner, topicID: "http", answers: answers, now: Self.monday)
                _ = try await quiz.recordAttempt(learnerID: learner, topicID: "http", answers: answers, now: Self.monday - 30 * Self.day)
                _ = try await quiz.recordAttempt(learnerID: other, topicID: "http", answers: answers, now: Self.monday + Self.day)
                try await SQLLabRunRepository(database: database).record(
                    LabRun(
                        id: LabRun.makeID(), learnerID: learner, labID: "http-basics", startedAt: Self.monday + 60, finishedAt: Self.monday + 90,
                        passed: false, stagesPassed: 1, stageCount: 6, source: .web), report: "{}")
                let exercises = SQLExerciseProgressRepository(database: database)
                try await exercises.recordAttempt(learnerID: learner, exerciseID: "e1", query: "SELECT 1", solved: false, now: Self.monday + Self.day)
                try await exercises.recordAttempt(
                    learnerID: learner, exerciseID: "e1", query: "SELECT 2", solved: true, now: Self.monday + Self.day + 5)
                try await SQLProgressRepository(database: database).setState(.done, learnerID: learner, topicID: "http")
                // MUT
                let activity = SQLActivityRepository(database: database)
                let found = try await activity.activity(learnerID: learner, since: Self.monday - Self.day)
                // validate
                let today = Int(WallClock.nowSeconds() / Self.day)
                #expect(found == [20_000: 4, 20_001: 1, today: 1])
                #expect(try await activity.activity(learnerID: "nobody", since: 0) == [:])
            }
        }
    }

    @Test("the calendar starts on a Monday a year back, shades by amount, and counts streaks")
    func calendar() {
        // 20 003 days after 1970-01-01 (a Thursday) is a Monday.
        let today = 20_010
        let calendar = ActivityCalendar(counts: [today: 1, today - 1: 3, today - 2: 7, today - 4: 20, today - 400: 5], today: today)
        #expect((calendar.firstDay + 3) % 7 == 0, "a Monday")
        #expect(calendar.firstDay <= today - 364 && calendar.firstDay > today - 371)
        #expect(calendar.counts[today - 400] == nil, "older than a year")
        let shades: [Int] = (0...4).map { calendar.shade(today - $0) }
        #expect(shades == [1, 2, 3, 0, 4])
        #expect(calendar.activeDays == 4)
        #expect(calendar.longestStreak == 3)
        #expect(calendar.currentStreak == 3)
        #expect(ActivityCalendar(counts: [today - 1: 1], today: today).currentStreak == 1, "nothing yet today keeps yesterday's streak")
        #expect(ActivityCalendar.since(today: today) == Int64(calendar.firstDay) * 86_400)
    }
}
