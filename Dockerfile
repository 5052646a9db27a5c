# VideoAkka: multi-stage build. Untested here (no Docker engine on the build machines); see README.
# Build:  docker build -t videoakka .
# Run:    docker run -p 8080:8080 -e REDIS_URL=redis://redis:6379/0 -v videoakka-data:/data/shared videoakka

# The web page: built with the lock file's packages, served from wwwroot beside the executable (see WebPageSettings).
FROM node:20-bookworm-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props VideoAkka.sln ./
COPY src/ src/
COPY config/ config/
RUN dotnet publish src/Host/VideoAkka.Host.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# ffmpeg/ffprobe (draft renderer and final render), espeak-ng (voiceover), the Noto fonts for captions and cards in
# every script (fonts-noto-core: Latin, Greek, Cyrillic, Arabic, Hebrew, Devanagari, Thai...; fonts-noto-cjk:
# Chinese, Japanese, Korean), and redis-server for the embedded Redis used when REDIS_URL is unset.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg espeak-ng fonts-dejavu-core fonts-noto-core fonts-noto-cjk fontconfig redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --create-home videoakka \
 && mkdir -p /data/shared && chown videoakka /data/shared
WORKDIR /app
COPY --from=build /app ./
COPY --from=web /web/dist ./wwwroot
USER videoakka
# Set VIDEOAKKA_WORKER_ID per worker (container host names change on every start).
ENV DATA_SHARED_BASE=/data/shared \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    VIDEOAKKA_CONFIG=/app/config/akka.hocon
VOLUME ["/data/shared"]
EXPOSE 8080
ENTRYPOINT ["dotnet", "VideoAkka.Host.dll"]
