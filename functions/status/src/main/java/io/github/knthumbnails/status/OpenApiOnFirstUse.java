package io.github.knthumbnails.status;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springdoc.core.properties.SwaggerUiOAuthProperties;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springdoc.webmvc.ui.SwaggerIndexPageTransformer;
import org.springdoc.webmvc.ui.SwaggerIndexTransformer;
import org.springdoc.webmvc.ui.SwaggerWelcomeCommon;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.validation.Errors;
import org.springframework.validation.SmartValidator;
import org.springframework.validation.Validator;
import org.springframework.validation.beanvalidation.OptionalValidatorFactoryBean;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.ResourceTransformerChain;

/**
 * Keeps springdoc out of the status function's start-up (issue 12): the function scales to zero, so every cold
 * start would pay for what springdoc builds eagerly, although only people opening {@code /v3/api-docs} or Swagger
 * UI need it. Measured (README, "OpenAPI"), springdoc as it comes added 17-22 % to the start; most of it was
 * <ul>
 *   <li>Hibernate Validator, bootstrapped at start-up (by Spring Boot's validation module, which springdoc brings
 *       and the pom leaves out, and by Spring MVC's validator); springdoc needs its classes (it reads Hibernate's
 *       {@code @Range} while describing parameters), but no handler here validates anything with it;</li>
 *   <li>swagger-core's JSON and YAML mappers, which Swagger UI's index page transformer needs only to answer
 *       {@code /swagger-ui/swagger-initializer.js};</li>
 *   <li>springdoc's other beans.</li>
 * </ul>
 * All three now happen on first use (9-10 % is left, mostly class loading). Nothing is switched off: Bean
 * Validation still works the first time a handler asks for it, and {@code OpenApiTests} checks the description
 * and Swagger UI.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiOnFirstUse {

    /**
     * Makes springdoc's beans lazy. Beans an eager one needs (springdoc's {@code WebMvcConfigurer} and what it is
     * built from) are still created at start-up; {@link #indexPage} makes the costly one of those light.
     *
     * @return the post-processor (static: it runs before any other bean exists)
     */
    @Bean
    static BeanFactoryPostProcessor springdocOnFirstUse() {
        return beanFactory -> {
            for (String name : beanFactory.getBeanDefinitionNames()) {
                BeanDefinition definition = beanFactory.getBeanDefinition(name);
                if (isSpringdoc(definition.getBeanClassName()) || isSpringdoc(definition.getFactoryBeanName())) {
                    definition.setLazyInit(true);
                }
            }
        };
    }

    private static boolean isSpringdoc(String name) {
        return name != null && name.startsWith("org.springdoc.");
    }

    /**
     * Swagger UI's index page transformer (it writes this instance's configuration into
     * {@code swagger-initializer.js}), replacing springdoc's own ({@code @ConditionalOnMissingBean}): the same
     * class, created on the first request for the page, together with the swagger-core mappers it needs.
     *
     * @param config  Swagger UI's settings
     * @param oauth   its OAuth settings (unused here, but springdoc's transformer takes them)
     * @param welcome springdoc's Swagger UI paths
     * @param mappers swagger-core's mappers
     * @return the transformer
     */
    @Bean
    SwaggerIndexTransformer indexPage(ObjectProvider<SwaggerUiConfigProperties> config,
                                      ObjectProvider<SwaggerUiOAuthProperties> oauth,
                                      ObjectProvider<SwaggerWelcomeCommon> welcome,
                                      ObjectProvider<ObjectMapperProvider> mappers) {
        SingletonSupplier<SwaggerIndexTransformer> transformer = SingletonSupplier.of(() ->
                new SwaggerIndexPageTransformer(config.getObject(), oauth.getObject(), welcome.getObject(),
                        mappers.getObject()));
        return new SwaggerIndexTransformer() {
            @Override
            public Resource transform(HttpServletRequest request, Resource resource, ResourceTransformerChain chain)
                    throws IOException {
                return transformer.obtain().transform(request, resource, chain);
            }
        };
    }

    /**
     * Spring MVC's validator: Bean Validation (Hibernate Validator, as Spring MVC would bootstrap it itself when it
     * finds it on the class path), bootstrapped the first time a handler validates something ({@code @Valid} or
     * {@code @Validated}; none does so far) instead of at start-up.
     *
     * @return the configurer giving Spring MVC that validator
     */
    @Bean
    WebMvcConfigurer beanValidationOnFirstUse() {
        SingletonSupplier<SmartValidator> delegate = SingletonSupplier.of(() -> {
            OptionalValidatorFactoryBean validator = new OptionalValidatorFactoryBean();
            validator.afterPropertiesSet();
            return validator;
        });
        SmartValidator lazy = new SmartValidator() {
            @Override
            public boolean supports(Class<?> type) {
                return delegate.obtain().supports(type);
            }

            @Override
            public void validate(Object target, Errors errors) {
                delegate.obtain().validate(target, errors);
            }

            @Override
            public void validate(Object target, Errors errors, Object... hints) {
                delegate.obtain().validate(target, errors, hints);
            }
        };
        return new WebMvcConfigurer() {
            @Override
            public Validator getValidator() {
                return lazy;
            }
        };
    }
}
