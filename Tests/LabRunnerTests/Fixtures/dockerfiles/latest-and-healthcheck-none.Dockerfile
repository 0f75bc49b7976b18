# expect: pinned-base healthcheck
FROM maven:3.9-eclipse-temurin-21 AS build
COPY pom.xml .
RUN mvn -q dependency:go-offline
COPY src ./src
RUN mvn -q package

FROM eclipse-temurin:latest
COPY --from=build /target/app.jar /app.jar
USER 1000
HEALTHCHECK NONE
ENTRYPOINT ["java", "-jar", "/app.jar"]
