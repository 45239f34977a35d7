# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022@sha256:4f1a0e1a7c3e1c1d9d2f4e0b7c6a5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c AS build
ENV TOOLS=C:\tools `
    MODE="release build"
RUN powershell -Command `
    Write-Host hello
WORKDIR C:\app
