import Hummingbird

/// A message shown once on the page a form redirects to ("You are signed in."). The form's
/// response leaves its name in a short-lived cookie; ``NavigationMiddleware`` reads it into the
/// request's context and clears it. Only these names are read, so a forged cookie shows nothing new.
enum Flash: String, CaseIterable {
    case signedIn = "signed-in"
    case signedOut = "signed-out"

    static let cookieName = "gw_flash"

    var message: String {
        switch self {
        case .signedIn: "You are signed in."
        case .signedOut: "You are signed out. Sign in again to keep track of your progress."
        }
    }

    var cookie: Cookie {
        Cookie(name: Self.cookieName, value: rawValue, maxAge: 60, path: "/", httpOnly: true, sameSite: .lax)
    }

    /// The message as the layout shows it; nothing without one.
    static func html(_ message: String?) -> String {
        message.map { "<p class=\"flash\" role=\"status\">\($0.htmlEscaped)</p>" } ?? ""
    }

    static var clearing: Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax)
    }
}
