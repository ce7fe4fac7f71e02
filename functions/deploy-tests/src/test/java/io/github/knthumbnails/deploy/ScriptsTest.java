package io.github.knthumbnails.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster scripts are shellcheck-clean, and what can run without a cluster does: help, argument errors,
 * prerequisite checks (with a PATH that lacks the tool) and {@code --dry-run}.
 */
class ScriptsTest {

    private static final Path ROOT = Manifests.root();
    /** What the scripts need from a PATH to get as far as their prerequisite checks. */
    private static final List<String> BASIC_TOOLS = List.of("bash", "dirname", "basename", "sed", "cat", "mktemp",
            "rm", "grep", "head", "find", "sort", "date", "seq", "tr", "env");

    private static List<String> shellFiles() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(ROOT.resolve("scripts"))) {
            s.filter(p -> p.toString().endsWith(".sh")).sorted().forEach(p -> files.add(ROOT.relativize(p).toString()));
        }
        files.add("minio/base/setup.sh");
        files.add(".ci/run");
        return files;
    }

    private static ExternalTool.Result script(List<String> env, String... command) throws IOException {
        ExternalTool.require("bash", "the scripts are bash");
        List<String> full = new ArrayList<>(List.of("bash"));
        full.addAll(List.of(command));
        return ExternalTool.run(ROOT, env, full.toArray(String[]::new));
    }

    /** A PATH with the basic tools and, as the given names, scripts that record their calls in calls.log. */
    private static String minimalPath(Path dir, String... fakes) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : BASIC_TOOLS) {
            for (String d : System.getenv("PATH").split(":")) {
                Path real = Path.of(d, tool);
                Path link = bin.resolve(tool);
                if (Files.isExecutable(real) && !Files.exists(link)) {
                    Files.writeString(link, "#!/bin/sh\nexec '" + real + "' \"$@\"\n");
                    link.toFile().setExecutable(true);
                }
            }
        }
        for (String fake : fakes) {
            Path f = bin.resolve(fake);
            Files.writeString(f, "#!/bin/sh\necho \"" + fake + " $*\" >> '" + dir.resolve("calls.log") + "'\n");
            f.toFile().setExecutable(true);
        }
        return "PATH=" + bin;
    }

    @Test
    void shellcheckPassesOnEveryScript() throws IOException {
        ExternalTool.require("shellcheck", "apt-get install shellcheck");
        List<String> command = new ArrayList<>(List.of("shellcheck", "-x"));
        command.addAll(shellFiles());

        ExternalTool.Result result = ExternalTool.run(ROOT, List.of(), command.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(shellFiles()).contains("scripts/cluster-up.sh", "scripts/deploy.sh", "scripts/smoke.sh",
                "scripts/load-demo.sh", "scripts/teardown.sh");
    }

    @Test
    void shellcheckCatchesASeededMistake(@TempDir Path dir) throws IOException {
        ExternalTool.require("shellcheck", "apt-get install shellcheck");
        Path bad = dir.resolve("bad.sh");
        Files.writeString(bad, "#!/usr/bin/env bash\ntarget=$1\nrm -rf $target/*\n");

        ExternalTool.Result result = ExternalTool.run(dir, List.of(), "shellcheck", bad.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("SC2086");
    }

    @Test
    void everyScriptExplainsItselfAndRejectsUnknownArguments() throws IOException {
        for (String s : List.of("cluster-up", "deploy", "smoke", "load-demo", "teardown", "fetch-turbojpeg")) {
            ExternalTool.Result help = script(List.of(), "scripts/" + s + ".sh", "--help");
            assertThat(help.exitCode()).as(s + ": " + help.output()).isZero();
            assertThat(help.output()).as(s).contains("Usage: scripts/" + s + ".sh");

            ExternalTool.Result bad = script(List.of(), "scripts/" + s + ".sh", "--no-such-option");
            assertThat(bad.exitCode()).as(s).isEqualTo(1);
            assertThat(bad.output()).as(s).contains(s + ".sh: error: unknown");
        }
    }

    @Test
    void aMissingPrerequisiteFailsLoudlyBeforeAnythingRuns(@TempDir Path dir) throws IOException {
        String path = minimalPath(dir, "docker");

        ExternalTool.Result result = script(List.of(path), "scripts/cluster-up.sh");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("cluster-up.sh: error: 'kind' is not installed or not on PATH")
                .contains("https://kind.sigs.k8s.io");
    }

    @Test
    void clusterUpDryRunShowsThePinnedReleasesInOrder() throws IOException {
        ExternalTool.Result result = script(List.of(), "scripts/cluster-up.sh", "--dry-run");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).containsSubsequence(
                "kind create cluster --name thumbnails",
                "serving/releases/download/knative-v1.22.1/serving-crds.yaml",
                // ConfigMaps are patched only once Serving's and Eventing's admission webhooks run.
                "kubectl wait deployment --all -n knative-serving",
                "net-kourier/releases/download/knative-v1.22.0/kourier.yaml", "kubectl patch configmap/config-network",
                "eventing/releases/download/knative-v1.22.1/eventing-crds.yaml",
                "kubectl wait deployment --all -n knative-eventing", "in-memory-channel.yaml",
                "mt-channel-broker.yaml",
                "kubectl wait deployment --all -n knative-eventing");
    }

    @Test
    void deployDryRunAppliesInTheIssuesOrder() throws IOException {
        ExternalTool.Result result = script(List.of(), "scripts/deploy.sh", "--dry-run", "--distributed");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).containsSubsequence("1/5 container images", "kind load image-archive",
                "kubectl apply -k minio/overlays/distributed", "kubectl wait job/minio-setup",
                "kubectl apply -k eventing", "-f knative/sinkbinding.yaml", "kubectl wait ksvc --all",
                // The Broker is Ready only once its dead-letter sink (the status-dead-letter Service) exists.
                "kubectl wait broker/default", "status function:");
    }

    @Test
    void teardownNeverDeletesWithoutConfirmation(@TempDir Path dir) throws IOException {
        String path = minimalPath(dir, "kubectl", "kind");

        ExternalTool.Result result = script(List.of(path), "scripts/teardown.sh");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("refusing to delete namespace 'thumbnails'");
        assertThat(dir.resolve("calls.log")).doesNotExist();
    }
}
