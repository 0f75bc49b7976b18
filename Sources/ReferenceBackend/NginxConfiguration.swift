import Foundation

/// The nginx configuration of the correct `reverse-proxy` setup (or of a mutant whose bug is in
/// the proxy): round robin over the app's instances, forwarding headers, gzip for text and JSON,
/// and `/static/` served from disk with a day of caching. Everything it writes stays in `prefix`,
/// it listens on 127.0.0.1 only, and it runs in the foreground, so it needs no privileges.
struct NginxConfiguration {
    let mutant: ReverseProxyMutant?
    let listenPort: Int
    let upstreamPorts: [Int]
    /// A folder for nginx's pid, log and temporary files.
    let prefix: URL
    /// The folder whose `static/` subfolder holds the static files.
    let documentRoot: URL

    var text: String {
        let upstreams = (mutant == .singleUpstream ? Array(upstreamPorts.prefix(1)) : upstreamPorts)
            .map { "        server 127.0.0.1:\($0);" }.joined(separator: "\n")
        let proto = mutant == .protoOverwritten ? "$scheme" : "$forwarded_proto"
        let gzipTypes = mutant == .gzipDefaultTypes ? "" : "\n    gzip_types text/plain text/css application/json;"
        let expiry = mutant == .staticWithoutExpiry ? "" : "\n            expires 1d;"
        let staticLocation =
            mutant == .staticThroughApp
            ? ""
            : """

                    location /static/ {
                        root \(documentRoot.path);\(expiry)
                    }
            """
        return """
            daemon off;
            worker_processes 1;
            pid \(prefix.path)/nginx.pid;
            error_log \(prefix.path)/error.log warn;
            events {
                worker_connections 256;
            }
            http {
                access_log off;
                client_body_temp_path \(prefix.path)/client_body;
                proxy_temp_path \(prefix.path)/proxy;
                fastcgi_temp_path \(prefix.path)/fastcgi;
                uwsgi_temp_path \(prefix.path)/uwsgi;
                scgi_temp_path \(prefix.path)/scgi;
                types {
                    text/plain txt;
                    text/css css;
                    application/json json;
                }
                default_type application/octet-stream;
                gzip on;
                gzip_vary on;
                gzip_min_length 256;\(gzipTypes)
                # The load balancer in front (here: the grader) says how the client connected; keep that.
                map $http_x_forwarded_proto $forwarded_proto {
                    default $http_x_forwarded_proto;
                    "" $scheme;
                }
                upstream app {
            \(upstreams)
                }
                server {
                    listen 127.0.0.1:\(listenPort);
                    location / {
                        proxy_pass http://app;
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto \(proto);
                    }\(staticLocation)
                }
            }

            """
    }
}
