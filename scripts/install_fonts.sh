#!/usr/bin/env bash
# Installs Debian's DejaVu fonts (Vietnamese diacritics) for the leader brief PDF when missing;
# analytics/brief_pdf.py embeds DejaVuSans.ttf and DejaVuSans-Bold.ttf into each PDF.
set -euo pipefail
if [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing Debian fonts-dejavu-core for the PDF brief..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null
