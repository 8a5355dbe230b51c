"""Distributing the signed letter to 200 chats under Telegram's flood control, as the double
enforces it by default (RateLimits(): 30 messages/s overall, 1/s per chat with a burst of 3).

    .venv/bin/python bench/bench_broadcast.py [--chats 200]

A cycle with `--chats` OPDs (one operator each) is taken to the signed letter in this process;
then `esakip-bot run` starts in its own process against the double and Tim SAKIP presses
"Distribusikan surat". Each operator is owed one message: the signed letter with the receipt
button under it (sendDocument; an OPD's first contact is one message since issue 13). It travels
through the outbox and the dispatcher job, as in production. Reported: the time from the press (the update handed out) to the last of
those messages arriving at the double, messages/s over that time and over the sending itself,
each divided by Telegram's 30/s, and the 429 answers.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.fakegram import RateLimits  # noqa: E402
from bot.simulation import TOKEN  # noqa: E402

from botproc import (BotProcess, bot_env, esakip_argv, machine, run_bench,  # noqa: E402
                     wait_for_quiet_machine)
from scenario import opd_rows, prepare_distributed  # noqa: E402
from timed_double import TimedDouble  # noqa: E402

TELEGRAM_RATE = 30.0


async def run(args: argparse.Namespace) -> None:
    print(machine())
    workdir = Path(tempfile.mkdtemp(prefix="esakip-bench-bc-"))
    db_url = f"sqlite:///{workdir / 'esakip.db'}"
    double = TimedDouble(token=TOKEN, rate_limits=RateLimits(), quiet_period=0.02)
    cast = await prepare_distributed(double, workdir, db_url, opd_rows(args.chats), distribute=False)
    operators = {u for u in double.state.chats if u >= 2001}
    argv = esakip_argv(args.variant)
    bot = BotProcess(argv, bot_env(double, db_url, cast.data_dir), workdir, workdir / "bot.log")
    try:
        await bot.start(double)
        await asyncio.sleep(3)  # let the dispatcher job find the outbox empty once
        await wait_for_quiet_machine()
        double.rate_limiter.reset()
        double.reset_timing()
        before_429 = double.stats.too_many_requests
        tim = double.chat(cast.officials[3])
        message = next(msg for msg in reversed(tim.messages)
                       if any(b.text == "Distribusikan surat" for row in msg.buttons for b in row))
        query_id = await double.press(cast.officials[3], message, "Distribusikan surat")
        update_id = double.last_update_id
        owed = len(operators)  # the letter, its receipt button under it
        deadline = time.monotonic() + args.timeout
        delivered: list[float] = []
        while time.monotonic() < deadline:
            delivered = [a.at for a in double.arrivals if a.status == 200 and a.chat_id in operators
                         and a.method in ("sendDocument", "sendMessage")]
            if len(delivered) >= owed:
                break
            await asyncio.sleep(0.1)
        handed = double.handed[update_id]
        answered = next((a.at for a in double.arrivals if a.query_id == query_id), float("nan"))
        too_many = double.stats.too_many_requests - before_429
        total = delivered[-1] - handed if delivered else float("nan")
        sending = delivered[-1] - delivered[0] if len(delivered) > 1 else float("nan")
        per_chat = {}
        for a in double.arrivals:
            if a.status == 200 and a.chat_id in operators:
                per_chat.setdefault(a.chat_id, []).append(a.at)
        print(f"{len(operators)} chats, {len(delivered)}/{owed} messages delivered "
              f"(the letter with its receipt button each); double's flood control ON (30/s, 1/s per chat, burst 3)")
        print(f"press answered after {(answered - handed) * 1000:.0f} ms; "
              f"first message {(delivered[0] - handed):.2f} s after the press")
        print(f"press to last message: {total:.1f} s -> {len(delivered) / total:.1f} messages/s "
              f"= {len(delivered) / total / TELEGRAM_RATE:.0%} of 30/s")
        print(f"first to last message: {sending:.1f} s -> {(len(delivered) - 1) / sending:.1f} messages/s "
              f"= {(len(delivered) - 1) / sending / TELEGRAM_RATE:.0%} of 30/s")
        print(f"429 answers: {too_many}; requests by method: "
              + ", ".join(f"{k} {v}" for k, v in sorted(_methods(double).items())))
        refused = [a.at - handed for a in double.arrivals if a.status == 429]
        if refused:
            print("429 at (s after the press): " + ", ".join(f"{t:.2f}" for t in refused))
        gaps = _gaps(delivered)
        if gaps:
            print("pauses over 0.5 s between deliveries (s after the press): "
                  + ", ".join(f"{start - handed:.1f}+{length:.1f}" for start, length in gaps))
    finally:
        await bot.stop()
        await double.stop()


def _methods(double: TimedDouble) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in double.arrivals:
        key = a.method if a.status == 200 else f"{a.method}:{a.status}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def _gaps(times: list[float], longer_than: float = 0.5) -> list[tuple[float, float]]:
    return [(a, b - a) for a, b in zip(times, times[1:]) if b - a > longer_than]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=180)
    run_bench(parser, run)


if __name__ == "__main__":
    main()
